package io.medsam.stream.imaging;

import java.io.IOException;

/**
 * A file or record could not be read as an image: truncated, garbled, an unsupported encoding,
 * impossible dimensions or non-finite pixels. The message always names the source (a file path or a
 * record description) and the problem.
 */
public class ImageFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String problem;

  /**
   * @param source the file path or record that was being read
   * @param problem what is wrong with it
   */
  public ImageFormatException(final String source, final String problem) {
    super(source + ": " + problem);
    this.source = source;
    this.problem = problem;
  }

  /**
   * @param source the file path or record that was being read
   * @param problem what is wrong with it
   * @param cause the low-level failure
   */
  public ImageFormatException(final String source, final String problem, final Throwable cause) {
    super(source + ": " + problem, cause);
    this.source = source;
    this.problem = problem;
  }

  /** The file path or record description that failed to read. */
  public String source() {
    return source;
  }

  /** The problem, without the source prefix. */
  public String problem() {
    return problem;
  }
}
