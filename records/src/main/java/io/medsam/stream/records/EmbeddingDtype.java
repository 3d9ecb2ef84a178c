package io.medsam.stream.records;

import java.util.Optional;

/**
 * The element types {@code SliceEmbedding.dtype} may name. The encoder worker writes float16 (the
 * schema's default); float32 is accepted too, as the trainer's in-process demonstration encoder
 * writes it and the field exists to say which one a record holds.
 */
public enum EmbeddingDtype {
  /** IEEE 754 binary16, little-endian. */
  FLOAT16("float16", Float16.BYTES),
  /** IEEE 754 binary32, little-endian. */
  FLOAT32("float32", Float.BYTES);

  private final String wireName;
  private final int bytes;

  EmbeddingDtype(final String wireName, final int bytes) {
    this.wireName = wireName;
    this.bytes = bytes;
  }

  /** The name in {@code SliceEmbedding.dtype}. */
  public String wireName() {
    return wireName;
  }

  /** Bytes per value. */
  public int bytes() {
    return bytes;
  }

  /**
   * @param wireName a {@code SliceEmbedding.dtype}
   * @return the dtype it names, or empty when it names none
   */
  public static Optional<EmbeddingDtype> of(final String wireName) {
    for (final EmbeddingDtype d : values()) {
      if (d.wireName.equals(wireName)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
