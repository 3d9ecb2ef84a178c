/** Throughput benchmark of the encoder worker: Kafka pipeline against the bare encoder session. */
package io.medsam.stream.encoder.bench;
