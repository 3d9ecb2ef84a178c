/**
 * Avro single-object encoding for Kafka: {@link io.medsam.stream.avro.serde.AvroCodec} encodes and
 * decodes one record type, resolving payloads written with any historical writer schema kept under
 * {@code avro-history/<Record>/<n>.avsc} on the classpath; {@link
 * io.medsam.stream.avro.serde.AvroSerde} adapts it to Kafka's {@code Serde}. A payload that cannot
 * be decoded raises {@link io.medsam.stream.avro.serde.RecordDecodingException}, which names topic,
 * partition, offset and the problem, so that workers can dead-letter it.
 */
package io.medsam.stream.avro.serde;
