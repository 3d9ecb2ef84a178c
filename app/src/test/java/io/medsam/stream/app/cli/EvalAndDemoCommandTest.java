package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medsam.stream.app.Medsam;
import io.medsam.stream.app.broker.EmbeddedBroker;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.ConnectedComponents;
import io.medsam.stream.imaging.mask.InscribedEllipse;
import io.medsam.stream.imaging.metrics.SegmentationMetrics;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code medsam eval} and {@code medsam demo} end to end on an in-process broker with ch2 + AAL and
 * the random-weights test bundle (real ONNX Runtime; the scores of a random model are low, so the
 * tests check the protocol and the files, and recompute a DSC from the written volume).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EvalAndDemoCommandTest {
  private static final Path AAL = Path.of("/usr/share/mricron/templates/aal.nii.gz");

  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedBroker BROKER = new EmbeddedBroker();

  private static String execute(final String... args) {
    final StringWriter out = new StringWriter();
    final int code = Medsam.commandLine().setOut(new PrintWriter(out)).execute(args);
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  void evalWritesTheReportTheTableAndAPredictedVolumeThatReproducesTheScores() throws IOException {
    final Path report = dir.resolve("eval/report.json");
    final String table =
        execute(
            "eval",
            "--bootstrap-servers",
            BROKER.bootstrapServers(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--bundle",
            RunCommandProcessTest.BUNDLE.toString(),
            "--image",
            RunCommandProcessTest.CH2.toString(),
            "--labels",
            AAL.toString(),
            "--label-ids",
            "77,85",
            "--slices",
            "80-82",
            "--out",
            report.toString());
    assertThat(table)
        .contains(
            "77 Thalamus_L", "85 Temporal_Mid_L", "mean (2 targets)", "DSC", "NSD", "latency p50");

    final JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(names(json))
        .containsExactlyInAnyOrder("targets", "mean_dsc", "mean_nsd", "bundle", "decoder_version");
    assertThat(json.get("decoder_version").asText()).isEqualTo("1");
    assertThat(json.get("bundle").asText()).endsWith("tiny-random-bundle");
    final List<JsonNode> targets = new ArrayList<>();
    json.get("targets").forEach(targets::add);
    assertThat(targets).hasSize(2);
    for (final JsonNode t : targets) {
      assertThat(names(t)).containsExactlyInAnyOrder("label", "slices", "dsc", "nsd");
      assertThat(t.get("slices").asInt()).isEqualTo(3);
      assertThat(t.get("dsc").asDouble()).isBetween(0.0, 1.0);
      assertThat(t.get("nsd").asDouble()).isBetween(0.0, 1.0);
    }
    assertThat(json.get("mean_dsc").asDouble())
        .isCloseTo(
            (targets.get(0).get("dsc").asDouble() + targets.get(1).get("dsc").asDouble()) / 2,
            within(1e-12));

    final Volume predicted = NiftiReader.read(dir.resolve("eval/report-labels.nii.gz"));
    final Volume aal = NiftiReader.read(AAL);
    assertThat(predicted.affine()).isEqualTo(aal.affine());
    final Set<Float> values = new TreeSet<>();
    for (final float v : predicted.voxels()) {
      values.add(v);
    }
    assertThat(values).isSubsetOf(0f, 77f, 85f).contains(85f);
    // label 85 is written last, so the volume holds its prediction exactly: its DSC over the
    // stacked slices 80-82 must be the reported one
    final List<Boolean> truth = new ArrayList<>();
    final List<Boolean> pred = new ArrayList<>();
    for (int k = 80; k <= 82; k++) {
      final int h = 217;
      final int w = 181;
      final float[] gt = VolumeSlicer.values(aal, SliceAxis.AXIAL, k);
      final boolean[] scored = new boolean[h * w];
      for (final BinaryMask c : ConnectedComponents.of(BinaryMask.where(gt, h, w, 85))) {
        if (c.area() >= 100) {
          for (int n = 0; n < scored.length; n++) {
            scored[n] |= c.pixels()[n];
          }
        }
      }
      final float[] p = VolumeSlicer.values(predicted, SliceAxis.AXIAL, k);
      for (int n = 0; n < scored.length; n++) {
        truth.add(scored[n]);
        pred.add(p[n] == 85f);
      }
    }
    assertThat(SegmentationMetrics.dice(toArray(truth), toArray(pred)))
        .isCloseTo(targets.get(1).get("dsc").asDouble(), within(1e-9));
  }

  @Test
  void demoPrintsTheTableWithTheEllipseBaselineAndWritesOverlays() throws IOException {
    final Path out = dir.resolve("demo");
    final String text =
        execute(
            "demo",
            "--bootstrap-servers",
            BROKER.bootstrapServers(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--bundle",
            RunCommandProcessTest.BUNDLE.toString(),
            "--slices",
            "80-81",
            "--out",
            out.toString());
    assertThat(text)
        .contains(
            "7 Frontal_Mid_L",
            "71 Caudate_L",
            "77 Thalamus_L",
            "85 Temporal_Mid_L",
            "86 Temporal_Mid_R",
            "mean (5 targets)",
            "colours: red=");
    assertThat(text)
        .containsPattern(
            "slices\\s+prompts\\s+model DSC\\s+ellipse DSC\\s+"
                + "model NSD\\s+ellipse NSD\\s+latency p50");
    for (final String png : List.of("axial-080.png", "axial-081.png")) {
      final var image = ImageIO.read(out.resolve(png).toFile());
      assertThat(image.getWidth()).isEqualTo(3 * 181);
      assertThat(image.getHeight()).isEqualTo(3 * 217);
    }
    assertThat(out.resolve("axial-082.png")).doesNotExist();
    assertThat(out.resolve("predicted-labels.nii.gz")).isRegularFile();

    // the ellipse columns and fields are the Java ellipse scorer's numbers on the same ground
    // truth, recomputed here from the atlas without the command's code
    final JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(names(json))
        .containsExactlyInAnyOrder(
            "targets",
            "mean_dsc",
            "mean_nsd",
            "mean_ellipse_dsc",
            "mean_ellipse_nsd",
            "bundle",
            "decoder_version");
    final Volume aal = NiftiReader.read(AAL);
    final List<String> lines = text.lines().toList();
    double sumDsc = 0;
    double sumNsd = 0;
    int n = 0;
    for (final JsonNode t : json.get("targets")) {
      assertThat(names(t))
          .containsExactlyInAnyOrder("label", "slices", "dsc", "nsd", "ellipse_dsc", "ellipse_nsd");
      final int label = t.get("label").asInt();
      final double[] expected = ellipseScore(aal, label, 80, 81);
      final double dsc = t.get("ellipse_dsc").asDouble();
      final double nsd = t.get("ellipse_nsd").asDouble();
      assertThat(dsc).as("ellipse DSC of %d", label).isBetween(0.0, 1.0).isEqualTo(expected[0]);
      assertThat(nsd).as("ellipse NSD of %d", label).isBetween(0.0, 1.0).isEqualTo(expected[1]);
      final String[] row =
          lines.stream()
              .filter(l -> l.startsWith(label + " "))
              .findFirst()
              .orElseThrow()
              .trim()
              .split("\\s+");
      // label, name, slices, prompts, model DSC, ellipse DSC, model NSD, ellipse NSD, p50, "ms"
      assertThat(row).hasSize(10);
      assertThat(row[4]).isEqualTo(String.format("%.3f", t.get("dsc").asDouble()));
      assertThat(row[5]).isEqualTo(String.format("%.3f", dsc));
      assertThat(row[6]).isEqualTo(String.format("%.3f", t.get("nsd").asDouble()));
      assertThat(row[7]).isEqualTo(String.format("%.3f", nsd));
      sumDsc += dsc;
      sumNsd += nsd;
      n++;
    }
    assertThat(n).isEqualTo(5);
    assertThat(json.get("mean_ellipse_dsc").asDouble()).isCloseTo(sumDsc / n, within(1e-12));
    assertThat(json.get("mean_ellipse_nsd").asDouble()).isCloseTo(sumNsd / n, within(1e-12));
    final String[] mean =
        lines.stream()
            .filter(l -> l.startsWith("mean (5 targets)"))
            .findFirst()
            .orElseThrow()
            .trim()
            .split("\\s+");
    assertThat(mean)
        .containsExactly(
            "mean",
            "(5",
            "targets)",
            String.format("%.3f", json.get("mean_dsc").asDouble()),
            String.format("%.3f", sumDsc / n),
            String.format("%.3f", json.get("mean_nsd").asDouble()),
            String.format("%.3f", sumNsd / n));
  }

  /**
   * The ellipse baseline of one target on axial slices {@code from..to} of the atlas: per slice,
   * the union of the ellipses inscribed in the tight boxes of the target's components of at least
   * 100 px, stacked; 3D DSC and NSD (1 mm) against the union of those components.
   */
  private static double[] ellipseScore(
      final Volume labels, final int label, final int from, final int to) {
    final int h = labels.ny();
    final int w = labels.nx();
    final int depth = to - from + 1;
    final boolean[] truth = new boolean[h * w * depth];
    final boolean[] ellipse = new boolean[truth.length];
    for (int k = from; k <= to; k++) {
      final float[] values = VolumeSlicer.values(labels, SliceAxis.AXIAL, k);
      for (final BinaryMask c : ConnectedComponents.of(BinaryMask.where(values, h, w, label))) {
        if (c.area() >= 100) {
          final BinaryMask e = InscribedEllipse.of(c.boundingBox().orElseThrow(), h, w);
          for (int p = 0; p < h * w; p++) {
            truth[(k - from) * h * w + p] |= c.pixels()[p];
            ellipse[(k - from) * h * w + p] |= e.pixels()[p];
          }
        }
      }
    }
    final VoxelGrid grid = new VoxelGrid(w, h, depth, labels.dx(), labels.dy(), labels.dz());
    return new double[] {
      SegmentationMetrics.dice(truth, ellipse), SegmentationMetrics.nsd(truth, ellipse, grid, 1.0)
    };
  }

  @Test
  void demoOptionsDefaultToTheHeldOutSlab() {
    final CommandLine.ParseResult r = Medsam.commandLine().parseArgs("demo");
    assertThat(r.subcommand().matchedOptionValue("--slices", "70-89")).isEqualTo("70-89");
    assertThat(
            Medsam.commandLine()
                .getSubcommands()
                .get("demo")
                .getCommandSpec()
                .findOption("--out")
                .defaultValue())
        .isEqualTo("out/demo");
  }

  private static Iterable<String> names(final JsonNode node) {
    final List<String> names = new ArrayList<>();
    final Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  private static boolean[] toArray(final List<Boolean> list) {
    final boolean[] a = new boolean[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }
}
