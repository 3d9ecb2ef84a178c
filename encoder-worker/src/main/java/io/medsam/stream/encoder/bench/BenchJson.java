package io.medsam.stream.encoder.bench;

import io.medsam.stream.bundle.ModelBundle;
import io.medsam.stream.encoder.ImageEncoderSession;
import io.medsam.stream.encoder.bench.EncoderBenchmark.Options;
import io.medsam.stream.encoder.bench.EncoderBenchmark.Point;
import java.util.List;
import java.util.Locale;

/**
 * The last line {@code medsam bench encoder} prints: one JSON object with the headline batch size's
 * figures, the curve over batch sizes and the PyTorch baseline (null figures when it was not
 * measured; "pytorch" says why).
 */
final class BenchJson {

  private BenchJson() {}

  static String line(
      final ModelBundle bundle,
      final ImageEncoderSession session,
      final Options options,
      final List<Point> points,
      final PyTorchBaseline.Result pytorch) {
    final Point headline = points.get(points.size() - 1);
    final StringBuilder curve = new StringBuilder();
    for (final Point p : points) {
      if (curve.length() > 0) {
        curve.append(',');
      }
      curve.append(
          String.format(
              Locale.ROOT,
              "{\"batch_size\":%d,\"direct_slices_per_s\":%.3f,\"pipeline_slices_per_s\":%.3f,"
                  + "\"ratio\":%.3f,\"direct_vs_pytorch\":%s}",
              p.batchSize(),
              p.directSlicesPerSecond(),
              p.pipelineSlicesPerSecond(),
              p.ratio(),
              ratioOrNull(p, pytorch)));
    }
    return String.format(
        Locale.ROOT,
        "{\"bundle\":\"%s\",\"encoder_model_id\":\"%s\",\"provider\":\"%s\","
            + "\"intra_op_threads\":%d,\"slices\":%d,\"batch_size\":%d,"
            + "\"direct_slices_per_s\":%.3f,\"pipeline_slices_per_s\":%.3f,\"ratio\":%.3f,"
            + "\"curve\":[%s],\"pytorch_slices_per_s\":%s,\"direct_vs_pytorch\":%s,"
            + "\"pytorch\":%s}",
        bundle.id(),
        session.encoderModelId(),
        session.provider(),
        options.intraOpThreads(),
        options.slices(),
        headline.batchSize(),
        headline.directSlicesPerSecond(),
        headline.pipelineSlicesPerSecond(),
        headline.ratio(),
        curve,
        pytorch.measured() ? String.format(Locale.ROOT, "%.4f", pytorch.slicesPerSecond()) : "null",
        ratioOrNull(headline, pytorch),
        pytorch.toJson());
  }

  private static String ratioOrNull(final Point p, final PyTorchBaseline.Result pytorch) {
    return pytorch.measured()
        ? String.format(Locale.ROOT, "%.3f", p.directVsPyTorch(pytorch))
        : "null";
  }
}
