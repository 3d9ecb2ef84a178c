package io.medsam.stream.topology.decode;

import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.serde.AvroCodec;
import io.medsam.stream.topology.DeadLetters;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the decode processor sends downstream: one MaskResult per prompt, keyed by sliceKey,
 * plus a dead letter (component {@value #COMPONENT}) for each ERROR answer and for each input
 * record that cannot be used.
 */
final class DecodeOutput {

  /** The component named in every dead letter of the decode topology. */
  static final String COMPONENT = "decoder";

  private static final Logger LOG = LoggerFactory.getLogger(DecodeOutput.class);

  private final ProcessorContext<String, SpecificRecord> context;
  private final AvroCodec<BoxPrompt> promptCodec = AvroCodec.of(BoxPrompt.class);

  DecodeOutput(final ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  /** Wall-clock time of the stream thread (ms). */
  long nowMs() {
    return context.currentSystemTimeMs();
  }

  /** Answers a prompt without a mask (TIMEOUT, INVALID_PROMPT). */
  void answer(
      final PendingPrompt pp, final MaskStatus status, final String reason, final long nowMs) {
    if (status != MaskStatus.TIMEOUT) {
      LOG.info("prompt {} answered {}: {}", pp.prompt().getPromptId(), status, reason);
    }
    send(pp, MaskResults.withoutMask(pp.prompt(), status, reason, nowMs), nowMs);
  }

  /** Sends a prompt's result; an ERROR result also goes to the dead letters with the prompt. */
  void send(final PendingPrompt pp, final MaskResult result, final long nowMs) {
    final String key = pp.prompt().getSliceKey();
    context.forward(new Record<>(key, result, nowMs));
    if (result.getStatus() == MaskStatus.ERROR) {
      final String reason = result.getReason() == null ? "decoder error" : result.getReason();
      context.forward(
          new Record<>(
              key,
              DeadLetters.of(
                  DecodeTopology.PROMPTS_TOPIC,
                  pp.sourcePartition(),
                  pp.sourceOffset(),
                  key,
                  COMPONENT,
                  new MaskDecodingException(reason),
                  promptCodec.encode(pp.prompt())),
              nowMs));
    }
  }

  /** Dead-letters an input record that cannot be used, payload as received. */
  void deadLetter(
      final RecordMetadata meta, final Record<String, byte[]> record, final Exception cause) {
    LOG.warn(
        "dead letter from {}-{}@{} (key {}): {}",
        meta.topic(),
        meta.partition(),
        meta.offset(),
        record.key(),
        cause.getMessage());
    context.forward(
        new Record<>(
            record.key(),
            DeadLetters.of(meta, record, COMPONENT, cause),
            context.currentSystemTimeMs()));
  }
}
