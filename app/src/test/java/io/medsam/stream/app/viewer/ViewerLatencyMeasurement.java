package io.medsam.stream.app.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.ViewerAddress;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mouse-up to overlay drawn, measured in the page (performance.now() at mouse-up to the first timer
 * after the frame that drew the overlay), on the default bundle with every role of {@code medsam
 * run} in this JVM: ch2 axial slices 70-109 embedded first, then {@code -Dprompts=N} (100) boxes
 * drawn with real mouse events, one at a time, on changing slices. Committed masks only (the page
 * reads read_committed). Not a test (no *Test name): run it with {@code ./mvnw -o -pl app verify
 * -Dtest=ViewerLatencyMeasurement -Dsurefire.failIfNoSpecifiedTests=false}; the last line of its
 * output is one JSON object; the page's screenshot goes to target/viewer-latency.png.
 */
class ViewerLatencyMeasurement {

  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  private static double percentile(final List<Double> values, final double p) {
    final List<Double> sorted = values.stream().sorted().toList();
    final int rank = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
  }

  @Test
  void measure(@TempDir final Path dir) throws Exception {
    final int prompts = Integer.getInteger("prompts", 100);
    final List<Integer> slices = IntStream.rangeClosed(70, 109).boxed().toList();
    try (PipelineWorkers workers =
        PipelineWorkers.start(
            EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.TRAINER, Role.VIEWER),
            new PipelineWorkers.Settings(
                BROKER.bootstrapServers(),
                ViewerBrowserTest.BUNDLE,
                dir.resolve("data"),
                "viewer-latency",
                new SimpleMeterRegistry(),
                UnaryOperator.identity(),
                new ViewerAddress("127.0.0.1", 0),
                OrthancServers.none()))) {
      assertThat(workers.awaitReady(Duration.ofMinutes(3))).isTrue();
      final ScanEvent scan = ScanPublisher.describe(ViewerBrowserTest.CH2, "MR", "axial", slices);
      try (ScanPublisher publisher = new ScanPublisher(BROKER.bootstrapServers())) {
        publisher.publish(scan);
      }
      try (ViewerPage page = new ViewerPage(workers.viewer().orElseThrow().url().orElseThrow())) {
        page.openSeries(scan.getSeriesUid(), slices.size());
        final Set<String> ids = new HashSet<>();
        for (int i = 0; i < prompts; i++) {
          page.showSlice(slices.get(i % slices.size()));
          final int x0 = 50 + (i * 7) % 20;
          final int y0 = 60 + (i * 11) % 20;
          page.drag(x0, y0, x0 + 50 + i % 15, y0 + 60 + i % 20);
          final int n = i + 1;
          ViewerPage.await("mask " + n, Duration.ofMinutes(1), () -> page.latencyCount() >= n);
          ids.add(page.lastPromptId());
        }
        final List<Double> page50 = new ArrayList<>();
        page.latencies().forEach(v -> page50.add(v.doubleValue()));
        final List<Double> pipeline =
            TopicRecords.read(BROKER.bootstrapServers(), Topics.MASKS, MaskResult.class).stream()
                .filter(m -> ids.contains(m.getPromptId()))
                .map(MaskResult::getLatencyMillis)
                .toList();
        final List<Double> warm = page50.subList(Math.min(5, page50.size()), page50.size());

        // a correction, so the trainer's published status shows it waiting (screenshot)
        page.tool("brush");
        page.brushRadius(4);
        page.click(40, 50);
        page.submit();
        ViewerPage.await(
            "the trainer's status with the correction",
            Duration.ofMinutes(2),
            () -> {
              final Object t = page.js("return document.getElementById('trainer').innerText");
              return t != null && t.toString().contains("corrections waiting for a run: 1");
            });
        page.screenshot(Path.of("target/viewer-latency.png"));
        System.out.printf(
            Locale.ROOT,
            "{\"bundle\": \"%s\", \"prompts\": %d, \"page_p50_ms\": %.1f, \"page_p99_ms\": %.1f,"
                + " \"page_warm_p50_ms\": %.1f, \"page_warm_p99_ms\": %.1f,"
                + " \"pipeline_p50_ms\": %.1f, \"pipeline_p99_ms\": %.1f, \"committed_only\": true}%n",
            ViewerBrowserTest.BUNDLE.getFileName(),
            page50.size(),
            percentile(page50, 50),
            percentile(page50, 99),
            percentile(warm, 50),
            percentile(warm, 99),
            percentile(pipeline, 50),
            percentile(pipeline, 99));
      }
    }
  }
}
