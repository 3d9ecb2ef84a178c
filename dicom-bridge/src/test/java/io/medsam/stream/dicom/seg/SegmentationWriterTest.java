package io.medsam.stream.dicom.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.mask.BinaryMask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SEG for two targets on a 5-slice 11 x 13 MR series (a frame of 143 bits, so frames do not start
 * on byte boundaries): dciodvfy finds no error, pydicom reads frames equal to the masks, the
 * patient and study attributes are the source's.
 */
class SegmentationWriterTest {
  private static final int ROWS = 11;
  private static final int COLS = 13;
  private static final int SLICES = 5;
  private static final PatientStudy PATIENT =
      new PatientStudy(
          "ISO_IR 100",
          "Doe^Jane",
          "PID-0042",
          "19700101",
          "F",
          "20260102",
          "101500",
          "S1",
          "ACC9",
          "");

  @TempDir Path tmp;
  private SourceSeries source;
  private List<Segment> segments;
  private SegmentationSeries series;
  private Path segFile;

  @BeforeEach
  void writeSeriesAndSeg() throws IOException {
    final float[] voxels = new float[COLS * ROWS * SLICES];
    for (int n = 0; n < voxels.length; n++) {
      voxels[n] = n % 200;
    }
    final Affine affine =
        new Affine(new double[] {0.8, 0, 0, -5, 0, 0.9, 0, 7, 0, 0, 2.5, -10, 0, 0, 0, 1});
    final Volume volume =
        new Volume(
            voxels,
            COLS,
            ROWS,
            SLICES,
            0.8,
            0.9,
            2.5,
            affine,
            new ScanMetadata("MR", "x", "synthetic", ""));
    source =
        VolumeSeriesWriter.write(
            volume, SeriesSpec.create("MR", PATIENT, "synthetic", 0), tmp.resolve("series"));
    segments =
        List.of(
            Segment.of(
                "target_a",
                List.of(empty(), rect(1, 1, 4, 6), rect(0, 0, 12, 10), rect(5, 3, 5, 3), empty())),
            Segment.of(
                "target_b", List.of(empty(), empty(), diagonal(), empty(), rect(12, 10, 12, 10))));
    series = SegmentationSeries.create(300, "MedSAM masks", "demo-v3");
    final Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    segFile = tmp.resolve("seg.dcm");
    Files.write(segFile, new SegmentationWriter(clock, "0.1.0").write(source, segments, series));
  }

  @Test
  void dciodvfyReportsNoError() throws Exception {
    ExternalTool.assumeDciodvfy();
    final ExternalTool.Result r =
        ExternalTool.run(List.of(ExternalTool.DCIODVFY.toString(), segFile.toString()));
    assertThat(r.output().lines().filter(l -> l.startsWith("Error")).toList())
        .as(r.output())
        .isEmpty();
    // the IOD it recognised and checked (an unreadable file would print no error either)
    assertThat(r.output().lines()).as(r.output()).contains("Segmentation");
  }

  @Test
  void pydicomReadsFramesEqualToTheMasks() throws Exception {
    ExternalTool.assumePydicom();
    final Path script = Path.of(getClass().getResource("/seg_frames.py").toURI());
    final ExternalTool.Result r =
        ExternalTool.run(
            List.of(ExternalTool.PYTHON.toString(), script.toString(), segFile.toString()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    final List<String> lines = r.output().lines().toList();
    assertThat(lines.get(0)).isEqualTo("segments 2 target_a target_b");
    final List<String> expected = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      for (int k = 0; k < SLICES; k++) {
        final BinaryMask m = segments.get(s).masks().get(k);
        if (m.area() > 0) {
          expected.add(
              (s + 1)
                  + " "
                  + source.images().get(k).sopInstanceUid()
                  + " "
                  + ROWS
                  + "x"
                  + COLS
                  + " "
                  + bits(m));
        }
      }
    }
    assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(expected);
  }

  @Test
  void copiesPatientAndStudyAndReferencesTheSource() throws Exception {
    final DicomDataset ds = DicomParser.parse(Files.readAllBytes(segFile), segFile.toString());
    assertThat(ds.string(0x00100010)).isEqualTo("Doe^Jane");
    assertThat(ds.string(0x00100020)).isEqualTo("PID-0042");
    assertThat(ds.string(0x00100030)).isEqualTo("19700101");
    assertThat(ds.string(0x0020000D)).isEqualTo(source.studyInstanceUid());
    assertThat(ds.string(0x00200052)).isEqualTo(source.frameOfReferenceUid());
    assertThat(ds.string(0x0020000E)).isEqualTo(series.seriesInstanceUid());
    assertThat(ds.string(0x00080060)).isEqualTo("SEG");
    assertThat(ds.string(0x00280008)).isEqualTo("5");
    assertThat(PATIENT.toString()).doesNotContain("Doe").doesNotContain("PID");
  }

  @Test
  void noMaskGivesOneEmptyFrame() {
    final byte[] bytes =
        new SegmentationWriter(Clock.systemUTC(), "0.1.0")
            .write(
                source,
                List.of(Segment.of("none", List.of(empty(), empty(), empty(), empty(), empty()))),
                series);
    assertThat(bytes).isNotEmpty();
  }

  @Test
  void refusesMasksThatDoNotMatchTheSeries() {
    final SegmentationWriter w = new SegmentationWriter(Clock.systemUTC(), "0.1.0");
    assertThatThrownBy(() -> w.write(source, List.of(Segment.of("a", List.of(empty()))), series))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 masks for 5 images");
    final BinaryMask wrong = BinaryMask.empty(ROWS + 1, COLS);
    assertThatThrownBy(
            () ->
                w.write(
                    source,
                    List.of(Segment.of("a", List.of(wrong, wrong, wrong, wrong, wrong))),
                    series))
        .hasMessageContaining("mask 12x13 on a 11x13 image");
  }

  private static BinaryMask empty() {
    return BinaryMask.empty(ROWS, COLS);
  }

  private static BinaryMask rect(final int c0, final int r0, final int c1, final int r1) {
    final boolean[] px = new boolean[ROWS * COLS];
    for (int r = r0; r <= r1; r++) {
      for (int c = c0; c <= c1; c++) {
        px[r * COLS + c] = true;
      }
    }
    return new BinaryMask(px, ROWS, COLS);
  }

  private static BinaryMask diagonal() {
    final boolean[] px = new boolean[ROWS * COLS];
    for (int r = 0; r < ROWS; r++) {
      px[r * COLS + r] = true;
    }
    return new BinaryMask(px, ROWS, COLS);
  }

  private static String bits(final BinaryMask m) {
    final StringBuilder sb = new StringBuilder();
    for (final boolean p : m.pixels()) {
      sb.append(p ? '1' : '0');
    }
    return sb.toString();
  }
}
