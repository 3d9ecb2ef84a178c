package io.medsam.stream.topology;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every topic of MedSAM Stream (docs/architecture.md §1) and its specification, in one place.
 *
 * <p>Sizes: an embedding is about 2 MiB (MedSAM ViT-B, 256x64x64 float16), a full mask-decoder
 * weight set about 16 MiB (float32), a slice up to 12 MiB (2048x2048 RGB; 1024x1024 grey is 1 MiB).
 * Limits leave at least twice that, and a dead letter can carry any offending record, so its topic
 * takes the largest of them plus room for the reason. Clients get matching sizes from {@link
 * ClientConfigs}. Every topic is zstd-compressed.
 */
public final class Topics {

  /** ScanEvent, key seriesUid. */
  public static final String SCANS = "medsam.scans.v1";

  /** ImageSlice, key sliceKey. */
  public static final String SLICES = "medsam.slices.v1";

  /** SliceEmbedding, key sliceKey, compacted: the latest embedding of each slice. */
  public static final String EMBEDDINGS = "medsam.embeddings.v1";

  /** BoxPrompt, key sliceKey. */
  public static final String PROMPTS = "medsam.prompts.v1";

  /** MaskResult, key sliceKey. */
  public static final String MASKS = "medsam.masks.v1";

  /** Correction, key sliceKey; kept forever, it is the trainer's sample store. */
  public static final String CORRECTIONS = "medsam.corrections.v1";

  /** DecoderWeights, key decoder model id, compacted: the latest weights of each model. */
  public static final String DECODER_WEIGHTS = "medsam.decoder-weights.v1";

  /**
   * DecoderWeights, key decoder model id, kept forever (neither compacted nor deleted): every
   * version ever published, and every re-publication, so any version can be rolled back to. The
   * trainer writes each record here and to {@link #DECODER_WEIGHTS} in one transaction.
   */
  public static final String DECODER_WEIGHTS_HISTORY = "medsam.decoder-weights-history.v1";

  /**
   * VolumePrompt (a 3D box on a series), key seriesUid. The walker of the decoder application walks
   * it slice by slice through {@link #PROMPTS} and {@link #MASKS}.
   */
  public static final String VOLUME_PROMPTS = "medsam.volume-prompts.v1";

  /** VolumeMask (one mask per slice walked), key seriesUid: the answer to one VolumePrompt. */
  public static final String VOLUME_MASKS = "medsam.volume-masks.v1";

  /**
   * TrainerStatus, key decoder model id, compacted: what each trainer is doing (pairs waiting, run
   * in progress, last decision), as the trainer publishes it; viewers read it from here.
   */
  public static final String TRAINER_STATUS = "medsam.trainer-status.v1";

  /**
   * OrthancPosition, key the configured Orthanc's name, compacted, one partition: how far the
   * Orthanc bridge has followed each Orthanc's change feed. Written in the same transaction as the
   * ScanEvents of the changes it covers, so a series is announced exactly once across restarts.
   */
  public static final String ORTHANC_POSITIONS = "medsam.orthanc-positions.v1";

  /** DeadLetter, key the source record's key. */
  public static final String DEAD_LETTERS = "medsam.dead-letters.v1";

  /** The compression of every topic and client. */
  public static final String COMPRESSION = "zstd";

  private static final int MIB = 1024 * 1024;

  /** {@code max.message.bytes} of the embeddings topic. */
  public static final int EMBEDDING_MAX_BYTES = 32 * MIB;

  /** {@code max.message.bytes} of the decoder-weights and decoder-weights-history topics. */
  public static final int DECODER_WEIGHTS_MAX_BYTES = 64 * MIB;

  /** {@code max.message.bytes} of the slices topic. */
  public static final int SLICE_MAX_BYTES = 32 * MIB;

  /** {@code max.message.bytes} of the masks and corrections topics (RLE masks are small). */
  public static final int MASK_MAX_BYTES = 8 * MIB;

  /** {@code max.message.bytes} of the scans and prompts topics (references and boxes). */
  public static final int SMALL_MAX_BYTES = 1 * MIB;

  /** {@code max.message.bytes} of the dead-letter topic: any record plus its reason. */
  public static final int DEAD_LETTER_MAX_BYTES = DECODER_WEIGHTS_MAX_BYTES + MIB;

  /** The largest record any topic accepts; clients are sized for it. */
  public static final int LARGEST_MESSAGE_BYTES = DEAD_LETTER_MAX_BYTES;

  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration MONTH = Duration.ofDays(30);
  private static final String SLICE_KEY = "sliceKey <seriesUid>/<axis>/<index>";

  private Topics() {}

  /** Every topic with {@link TopicLayout#DEFAULT}. */
  public static List<TopicSpec> all() {
    return all(TopicLayout.DEFAULT);
  }

  /**
   * Every topic. Prompts, embeddings, masks and corrections (and scans, slices, dead letters,
   * volume prompts and volume masks) get the layout's partition count; decoder weights, their
   * history and the trainer status get one partition, since all decoder workers read all of it and
   * versions of one model must stay in order; so do the Orthanc bridge's positions, which it reads
   * whole at start.
   */
  public static List<TopicSpec> all(final TopicLayout layout) {
    final int p = layout.partitions();
    final int rf = layout.replicationFactor();
    return List.of(
        delete(SCANS, p, rf, SMALL_MAX_BYTES, WEEK, "seriesUid", "ScanEvent"),
        delete(SLICES, p, rf, SLICE_MAX_BYTES, WEEK, SLICE_KEY, "ImageSlice"),
        compact(EMBEDDINGS, p, rf, EMBEDDING_MAX_BYTES, SLICE_KEY, "SliceEmbedding"),
        delete(PROMPTS, p, rf, SMALL_MAX_BYTES, WEEK, SLICE_KEY, "BoxPrompt"),
        delete(MASKS, p, rf, MASK_MAX_BYTES, MONTH, SLICE_KEY, "MaskResult"),
        delete(CORRECTIONS, p, rf, MASK_MAX_BYTES, TopicSpec.FOREVER, SLICE_KEY, "Correction"),
        compact(
            DECODER_WEIGHTS,
            1,
            rf,
            DECODER_WEIGHTS_MAX_BYTES,
            "decoder model id",
            "DecoderWeights"),
        delete(
            DECODER_WEIGHTS_HISTORY,
            1,
            rf,
            DECODER_WEIGHTS_MAX_BYTES,
            TopicSpec.FOREVER,
            "decoder model id",
            "DecoderWeights"),
        delete(
            DEAD_LETTERS,
            p,
            rf,
            DEAD_LETTER_MAX_BYTES,
            MONTH,
            "the source record's key",
            "DeadLetter"),
        delete(VOLUME_PROMPTS, p, rf, SMALL_MAX_BYTES, WEEK, "seriesUid", "VolumePrompt"),
        delete(VOLUME_MASKS, p, rf, MASK_MAX_BYTES, MONTH, "seriesUid", "VolumeMask"),
        compact(TRAINER_STATUS, 1, rf, SMALL_MAX_BYTES, "decoder model id", "TrainerStatus"),
        compact(
            ORTHANC_POSITIONS,
            1,
            rf,
            SMALL_MAX_BYTES,
            "configured Orthanc name",
            "OrthancPosition"));
  }

  /**
   * The spec of one topic.
   *
   * @throws IllegalArgumentException for a name that is not a MedSAM Stream topic
   */
  public static TopicSpec spec(final String name, final TopicLayout layout) {
    return all(layout).stream()
        .filter(spec -> spec.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Not a MedSAM Stream topic: " + name));
  }

  private static TopicSpec delete(
      final String name,
      final int partitions,
      final int rf,
      final int maxBytes,
      final Duration retention,
      final String key,
      final String valueType) {
    return new TopicSpec(
        name,
        partitions,
        rf,
        CleanupPolicy.DELETE,
        maxBytes,
        COMPRESSION,
        Optional.of(retention),
        key,
        valueType);
  }

  private static TopicSpec compact(
      final String name,
      final int partitions,
      final int rf,
      final int maxBytes,
      final String key,
      final String valueType) {
    return new TopicSpec(
        name,
        partitions,
        rf,
        CleanupPolicy.COMPACT,
        maxBytes,
        COMPRESSION,
        Optional.empty(),
        key,
        valueType);
  }
}
