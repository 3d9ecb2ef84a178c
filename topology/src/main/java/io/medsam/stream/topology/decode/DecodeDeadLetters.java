package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.topology.DeadLetters;

/** Dead letters of the decode topology, all with component {@value #COMPONENT}. */
final class DecodeDeadLetters {

  /** The component named in every dead letter of this topology. */
  static final String COMPONENT = "decoder";

  private DecodeDeadLetters() {}

  static DeadLetter of(
      final String topic,
      final int partition,
      final long offset,
      final String key,
      final Throwable cause,
      final byte[] payload) {
    return DeadLetters.of(topic, partition, offset, key, COMPONENT, cause, payload);
  }
}
