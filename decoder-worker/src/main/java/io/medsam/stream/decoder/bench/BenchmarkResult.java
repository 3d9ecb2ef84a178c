package io.medsam.stream.decoder.bench;

import java.util.Locale;

/**
 * Figures of one benchmark run.
 *
 * @param bundle bundle id and config
 * @param settings how it was measured
 * @param direct direct decoder call latency
 * @param pipeline prompt produced to MaskResult consumed latency
 * @param burstPerSecond throughput when all prompts are sent at once (batching at work)
 */
public record BenchmarkResult(
    String bundle,
    BenchmarkSettings settings,
    LatencyStats direct,
    LatencyStats pipeline,
    double burstPerSecond) {

  /**
   * @return pipeline p50 minus direct p50, ms
   */
  public double overheadP50() {
    return pipeline.p50() - direct.p50();
  }

  /**
   * @return the figures as one line of JSON
   */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"bundle\": \"%s\", \"prompts\": %d, \"direct_p50_ms\": %.3f, \"direct_p95_ms\": %.3f,"
            + " \"direct_p99_ms\": %.3f, \"pipeline_p50_ms\": %.3f, \"pipeline_p95_ms\": %.3f,"
            + " \"pipeline_p99_ms\": %.3f, \"overhead_p50_ms\": %.3f, \"intra_op_threads\": %d,"
            + " \"graph_optimization\": \"%s\", \"commit_interval_ms\": %d, \"image\": \"%dx%d\","
            + " \"burst_prompts_per_s\": %.1f}",
        bundle.replace("\"", "'"),
        pipeline.count(),
        direct.p50(),
        direct.p95(),
        direct.p99(),
        pipeline.p50(),
        pipeline.p95(),
        pipeline.p99(),
        overheadP50(),
        settings.session().intraOpThreads(),
        settings.session().optimization(),
        settings.commitInterval().toMillis(),
        settings.height(),
        settings.width(),
        burstPerSecond);
  }
}
