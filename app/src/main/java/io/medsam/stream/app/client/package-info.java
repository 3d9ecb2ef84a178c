/**
 * A command's session with the running pipeline, as {@code segment}, {@code eval}, {@code demo} and
 * {@code finetune-demo} use it: the client of the medsam-client module (scans, prompts and masks
 * through Kafka) plus the workers missing from the cluster, started in this JVM for the session.
 */
package io.medsam.stream.app.client;
