package io.medsam.stream.topology;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Existing topics that differ from their {@link TopicSpec} in a way that cannot be fixed in place
 * (partition count or cleanup policy): the application must not start on them.
 */
public final class TopicMismatchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * One difference.
   *
   * @param topic the topic
   * @param property what differs: "partitions" or "cleanup.policy"
   * @param expected the value of the spec
   * @param actual the value on the cluster
   */
  public record Mismatch(String topic, String property, String expected, String actual) {
    @Override
    public String toString() {
      return topic + ": " + property + " is " + actual + ", expected " + expected;
    }
  }

  private final transient List<Mismatch> mismatches;

  /**
   * @param mismatches at least one difference
   */
  public TopicMismatchException(final List<Mismatch> mismatches) {
    super(
        mismatches.stream()
            .map(Mismatch::toString)
            .collect(
                Collectors.joining(
                    "; ",
                    "Existing topics differ from their specification (fix or delete them): ",
                    "")));
    this.mismatches = List.copyOf(mismatches);
  }

  /** Every difference found. */
  public List<Mismatch> mismatches() {
    return mismatches;
  }
}
