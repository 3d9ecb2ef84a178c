package io.medsam.stream.trainer.intake;

import io.medsam.stream.avro.DeadLetter;

/** Where the intake sends the records it gives up on. */
@FunctionalInterface
public interface DeadLetterSink {

  /** Sends one dead letter, keyed like its source record. */
  void send(String key, DeadLetter deadLetter);

  /** Blocks until everything sent so far is durable; called before offsets are committed. */
  default void flush() {}
}
