/**
 * A client of the running pipeline, as {@code segment}, {@code eval} and {@code demo} use it:
 * publish a scan, wait for its slices' embeddings, send BoxPrompts and collect the MaskResults, all
 * through Kafka; workers missing from the cluster are started in this JVM.
 */
package io.medsam.stream.app.client;
