package io.medsam.stream.app.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.app.pipeline.PipelineWorkers;
import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.app.pipeline.ViewerAddress;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.ingest.ScanPublisher;
import io.medsam.stream.records.Boxes;
import io.medsam.stream.records.Masks;
import io.medsam.stream.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Done when": ch2 is ingested through the running pipeline (ingest, encoder, decoder
 * and the viewer role, default bundle), a box is drawn with real mouse events on the canvas in
 * Debian's chromium, the mask's overlay pixels appear, the brush and the eraser edit it, and the
 * Correction on medsam.corrections.v1 is exactly the model's mask plus the brush's disc minus the
 * eraser's; a box dragged off the image gets the page's message and nothing on the prompts topic.
 * The screenshot goes to target/viewer-browser-test.png.
 */
class ViewerBrowserTest {

  static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
  static final Path BUNDLE = Path.of("../model/bundles/medsam-conv32p-ellipse-brain");
  static final Path SCREENSHOT = Path.of("target/viewer-browser-test.png");

  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  static PipelineWorkers start(final Path dir) throws Exception {
    final PipelineWorkers workers =
        PipelineWorkers.start(
            EnumSet.of(Role.INGEST, Role.ENCODER, Role.DECODER, Role.VIEWER),
            new PipelineWorkers.Settings(
                BROKER.bootstrapServers(),
                BUNDLE,
                dir.resolve("data"),
                "viewer-test",
                new SimpleMeterRegistry(),
                UnaryOperator.identity(),
                new ViewerAddress("127.0.0.1", 0),
                OrthancServers.none()));
    assertThat(workers.awaitReady(Duration.ofMinutes(2))).isTrue();
    return workers;
  }

  static ScanEvent ingest(final List<Integer> slices) throws Exception {
    assertThat(CH2).as("mricron-data (dev/setup)").exists();
    final ScanEvent scan = ScanPublisher.describe(CH2, "MR", "axial", slices);
    try (ScanPublisher publisher = new ScanPublisher(BROKER.bootstrapServers())) {
      publisher.publish(scan);
    }
    return scan;
  }

  /** The pixels within {@code r} of (cx, cy), as the page's brush covers them. */
  private static boolean inDisc(final int x, final int y, final int cx, final int cy, final int r) {
    return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void boxMaskBrushEraserCorrectionThroughKafka(@TempDir final Path dir) throws Exception {
    assertThat(ViewerPage.CHROMEDRIVER).as("chromium-driver (dev/setup)").exists();
    try (PipelineWorkers workers = start(dir)) {
      final String url = workers.viewer().orElseThrow().url().orElseThrow();
      final ScanEvent scan = ingest(List.of(88, 89, 90, 91, 92));
      final String key = scan.getSeriesUid() + "/axial/90";
      try (ViewerPage page = new ViewerPage(url)) {
        page.openSeries(scan.getSeriesUid(), 5);
        page.showSlice(90);
        // ch2 is a NIfTI file: no DICOM SEG to download or store, and the buttons say why
        assertThat(page.js("return document.getElementById('download-seg').disabled"))
            .isEqualTo(true);
        assertThat((String) page.js("return document.getElementById('download-seg').title"))
            .contains("NIfTI source has no DICOM UIDs");
        assertThat(page.js("return document.getElementById('store-seg').disabled")).isEqualTo(true);

        // a box: pixels (60, 70) to (120, 150) of the 181 x 217 axial slice
        page.drag(60, 70, 120, 150);
        ViewerPage.await(
            "overlay pixels of the mask",
            Duration.ofMinutes(2),
            () -> page.overlayMaskPixels() > 0);
        assertThat(page.maskInfo()).contains("score ").contains("decoder version ");
        final String promptId = page.lastPromptId();
        final BoxPrompt prompt =
            TopicRecords.read(BROKER.bootstrapServers(), Topics.PROMPTS, BoxPrompt.class).stream()
                .filter(p -> p.getPromptId().equals(promptId))
                .findFirst()
                .orElseThrow();
        assertThat(prompt.getSliceKey()).isEqualTo(key);
        assertThat(Boxes.toPixelBox(prompt.getBox()).toFloats())
            .containsExactly(60f, 70f, 120f, 150f);
        final MaskResult result =
            TopicRecords.read(BROKER.bootstrapServers(), Topics.MASKS, MaskResult.class).stream()
                .filter(m -> m.getPromptId().equals(promptId))
                .findFirst()
                .orElseThrow();
        final BinaryMask model = Masks.toBinaryMask(result.getMask(), key);
        assertThat(model.area()).isPositive();
        assertThat(page.maskInfo())
            .contains("decoder version " + result.getDecoderWeightsVersion());

        // brush where the model saw nothing, eraser in the middle of its mask
        final int[] brush = {30, 40};
        final int[] eraser = {90, 110};
        assertThat(model.get(brush[1], brush[0])).isFalse();
        assertThat(model.get(eraser[1], eraser[0])).isTrue();
        page.tool("brush");
        page.brushRadius(3);
        page.click(brush[0], brush[1]);
        page.tool("eraser");
        page.click(eraser[0], eraser[1]);
        final boolean[] expected = model.pixels().clone();
        for (int y = 0; y < model.height(); y++) {
          for (int x = 0; x < model.width(); x++) {
            if (inDisc(x, y, brush[0], brush[1], 3)) {
              expected[y * model.width() + x] = true;
            }
            if (inDisc(x, y, eraser[0], eraser[1], 3)) {
              expected[y * model.width() + x] = false;
            }
          }
        }
        page.submit();
        ViewerPage.await(
            "the correction's acknowledgement",
            Duration.ofSeconds(30),
            () -> page.lastCorrectionId() != null);
        assertThat(page.message()).contains("published");
        page.screenshot(SCREENSHOT);

        final String correctionId = page.lastCorrectionId();
        final List<Correction> corrections =
            TopicRecords.read(BROKER.bootstrapServers(), Topics.CORRECTIONS, Correction.class);
        assertThat(corrections).hasSize(1);
        final Correction c = corrections.get(0);
        assertThat(c.getCorrectionId()).isEqualTo(correctionId);
        assertThat(c.getSliceKey()).isEqualTo(key);
        assertThat(Boxes.toPixelBox(c.getBox()).toFloats()).containsExactly(60f, 70f, 120f, 150f);
        assertThat(Masks.toBinaryMask(c.getMask(), key))
            .as("the correction is the model's mask, brushed and erased")
            .isEqualTo(new BinaryMask(expected, model.height(), model.width()));

        // the slice as the model sees it (256 x 256 for this bundle), then back
        page.view("model", 256);
        assertThat(page.overlayMaskPixels()).as("no overlay on the model's view").isZero();
        page.view("ingested", 181);

        // the same box over slices 88-92 as a 3D prompt; the walk's masks show on each slice
        page.walk(88, 92);
        ViewerPage.await(
            "the 3D walk", Duration.ofMinutes(2), () -> page.message().startsWith("3D walk OK"));
        final VolumeMask walked =
            TopicRecords.read(BROKER.bootstrapServers(), Topics.VOLUME_MASKS, VolumeMask.class)
                .get(0);
        assertThat(walked.getVisitedSlices()).containsExactlyInAnyOrder(88, 89, 90, 91, 92);
        page.showSlice(91);
        ViewerPage.await(
            "the walk's mask on slice 91",
            Duration.ofSeconds(30),
            () -> page.overlayMaskPixels() > 0 && page.maskInfo().contains("stored mask"));
        assertThat(page.maskInfo())
            .contains("decoder version " + result.getDecoderWeightsVersion());

        // a box dragged off the image: the page says so, nothing is sent
        final int promptsBefore =
            TopicRecords.read(BROKER.bootstrapServers(), Topics.PROMPTS, BoxPrompt.class).size();
        page.tool("box");
        page.drag(150, 100, 200, 120); // x = 200 is beyond the 181 columns
        ViewerPage.await(
            "the page's message about the box",
            Duration.ofSeconds(30),
            () -> page.message().contains("outside"));
        assertThat(page.messageClass()).isEqualTo("error");
        assertThat(page.message()).contains("181 x 217").contains("nothing was sent");
        assertThat(TopicRecords.read(BROKER.bootstrapServers(), Topics.PROMPTS, BoxPrompt.class))
            .hasSize(promptsBefore);
      }
    }
    assertThat(Files.size(SCREENSHOT)).isPositive();
  }
}
