package io.medsam.stream.records;

/** A {@code SliceEmbedding} that cannot be used; the message says why. */
public final class InvalidEmbeddingException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param problem what is wrong with the record
   */
  public InvalidEmbeddingException(final String problem) {
    super(problem);
  }
}
