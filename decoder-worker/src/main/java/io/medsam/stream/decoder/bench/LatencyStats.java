package io.medsam.stream.decoder.bench;

import java.util.Arrays;

/**
 * Percentiles of a latency sample, in milliseconds (nearest-rank on the sorted sample).
 *
 * @param count sample size
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param mean arithmetic mean
 * @param max largest value
 */
public record LatencyStats(int count, double p50, double p95, double p99, double mean, double max) {

  /**
   * @return the statistics of {@code millis} (not modified)
   */
  public static LatencyStats of(final double[] millis) {
    if (millis.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    final double[] s = millis.clone();
    Arrays.sort(s);
    return new LatencyStats(
        s.length,
        rank(s, 50),
        rank(s, 95),
        rank(s, 99),
        Arrays.stream(s).average().orElse(0),
        s[s.length - 1]);
  }

  private static double rank(final double[] sorted, final double percentile) {
    final int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "n=%d p50=%.2f p95=%.2f p99=%.2f mean=%.2f max=%.2f ms",
        count,
        p50,
        p95,
        p99,
        mean,
        max);
  }
}
