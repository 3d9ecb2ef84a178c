package io.medsam.stream.dicom.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.dicom.series.SeriesSpec;
import io.medsam.stream.dicom.series.VolumeSeriesWriter;
import io.medsam.stream.dicom.testing.ExternalTool;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomInstance;
import io.medsam.stream.imaging.dicom.DicomReader;
import io.medsam.stream.imaging.dicom.DicomSeries;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiWriter;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's slice k of a DICOM series is the instance a SEG frame of slice k references:
 * ingest reads the series with imaging's {@code DicomSeries}, the SEG with {@link
 * SourceSeriesReader}, and both give instance k the same pixels, whatever the file names and with
 * the volume's k axis running against the slice normal. Coronal and sagittal masks land voxel for
 * voxel on the instances; sources without DICOM UIDs are refused with the reason.
 */
class SegmentationSourceTest {
  // nx = 6 columns, ny = 5 rows, nz = 7 instances
  private static final int NX = 6;
  private static final int NY = 5;
  private static final int NZ = 7;

  @TempDir Path tmp;
  private Path folder;
  private SourceSeries written;

  @BeforeEach
  void writeSeriesWithShuffledFileNames() throws Exception {
    final float[] voxels = new float[NX * NY * NZ];
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
          voxels[i + NX * (j + NY * k)] = 100 * k + 10 * j + i; // every slice tells its k
        }
      }
    }
    // k runs towards the feet: the slice normal order is the reverse of k
    final Affine affine =
        new Affine(new double[] {1.5, 0, 0, 3, 0, 1.25, 0, -4, 0, 0, -3, 20, 0, 0, 0, 1});
    final Volume v =
        new Volume(voxels, NX, NY, NZ, 1.5, 1.25, 3, affine, new ScanMetadata("MR", "x", "s", ""));
    folder = tmp.resolve("series");
    written =
        VolumeSeriesWriter.write(
            v, SeriesSpec.create("MR", PatientStudy.anonymous(), "d", 0), folder);
    // file names in an order that is neither k's nor the normal's
    final int[] shuffle = {4, 0, 6, 2, 5, 1, 3};
    for (int n = 0; n < NZ; n++) {
      Files.move(
          folder.resolve(String.format("IM%04d.dcm", n + 1)),
          folder.resolve(String.format("f%d-%04d.dcm", shuffle[n], n)));
    }
  }

  @Test
  void instanceKHoldsThePixelsOfTheSliceKIngestReads() throws Exception {
    final Volume ingested = DicomSeries.read(folder); // what ingest's ScanSlicer reads
    final SegmentationSource source = SegmentationSource.read(folder);
    final Map<String, float[]> pixelsByUid = new HashMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (final Path f : files.toList()) {
        final DicomInstance d = DicomReader.read(f);
        pixelsByUid.put(d.sopInstanceUid(), d.pixels());
      }
    }
    assertThat(source.series().images()).hasSize(NZ);
    for (int k = 0; k < NZ; k++) {
      final float[] slice = VolumeSlicer.values(ingested, SliceAxis.AXIAL, k);
      assertThat(pixelsByUid.get(source.series().images().get(k).sopInstanceUid()))
          .as("instance %d", k)
          .containsExactly(slice);
    }
    // instance 0 is the written volume's last slice (k = 6), in file f3-0006.dcm: the order is
    // neither the files' nor the written volume's k
    assertThat(DicomReader.read(folder.resolve("f3-0006.dcm")).sopInstanceUid())
        .isEqualTo(source.series().images().get(0).sopInstanceUid())
        .isEqualTo(written.images().get(0).sopInstanceUid());
  }

  @Test
  void axialMasksGoToTheirInstancesAndTheOthersAreEmpty() throws Exception {
    final SegmentationSource source = SegmentationSource.read(folder);
    final BinaryMask a = rect(NY, NX, 1, 1, 3, 2);
    final BinaryMask b = rect(NY, NX, 0, 0, 5, 4);
    final List<BinaryMask> masks = source.instanceMasks(SliceAxis.AXIAL, Map.of(2, a, 5, b));
    assertThat(masks).hasSize(NZ);
    for (int k = 0; k < NZ; k++) {
      assertThat(masks.get(k)).isEqualTo(k == 2 ? a : k == 5 ? b : BinaryMask.empty(NY, NX));
    }
  }

  @Test
  void coronalAndSagittalMasksLandVoxelForVoxel() throws Exception {
    final SegmentationSource source = SegmentationSource.read(folder);
    // coronal slice j = 3 is nz x nx: its row r is instance r's row 3
    final BinaryMask coronal = pattern(NZ, NX);
    final List<BinaryMask> fromCoronal =
        source.instanceMasks(SliceAxis.CORONAL, Map.of(3, coronal));
    // sagittal slice i = 4 is nz x ny: its row r is instance r's column 4
    final BinaryMask sagittal = pattern(NZ, NY);
    final List<BinaryMask> fromSagittal =
        source.instanceMasks(SliceAxis.SAGITTAL, Map.of(4, sagittal));
    for (int k = 0; k < NZ; k++) {
      for (int r = 0; r < NY; r++) {
        for (int c = 0; c < NX; c++) {
          assertThat(fromCoronal.get(k).get(r, c))
              .as("coronal: instance %d (%d, %d)", k, r, c)
              .isEqualTo(r == 3 && coronal.get(k, c));
          assertThat(fromSagittal.get(k).get(r, c))
              .as("sagittal: instance %d (%d, %d)", k, r, c)
              .isEqualTo(c == 4 && sagittal.get(k, r));
        }
      }
    }
  }

  @Test
  void aOneImageSourceTakesItsTwoDSlice() throws Exception {
    final Path file;
    try (Stream<Path> files = Files.list(folder)) {
      file = files.sorted().findFirst().orElseThrow();
    }
    final SegmentationSource one = SegmentationSource.read(file);
    assertThat(one.series().images()).hasSize(1);
    final BinaryMask m = rect(NY, NX, 1, 1, 2, 2);
    assertThat(one.instanceMasks(SliceAxis.TWO_D, Map.of(0, m))).containsExactly(m);
    assertThatThrownBy(
            () ->
                SegmentationSource.read(folder)
                    .instanceMasks(SliceAxis.TWO_D, Map.of(0, rect(NY, NX, 0, 0, 1, 1))))
        .hasMessageContaining("one-image source")
        .hasMessageContaining("7 instances");
  }

  @Test
  void masksOutsideTheSourceOrOfTheWrongSizeAreRefused() throws Exception {
    final SegmentationSource source = SegmentationSource.read(folder);
    assertThatThrownBy(
            () -> source.instanceMasks(SliceAxis.AXIAL, Map.of(7, BinaryMask.empty(NY, NX))))
        .hasMessageContaining("axial slice 7 is outside the source's 7 axial slices (0-6)");
    assertThatThrownBy(
            () -> source.instanceMasks(SliceAxis.CORONAL, Map.of(0, BinaryMask.empty(NY, NX))))
        .hasMessageContaining("the mask of coronal slice 0 is 5x6, the slice is 7x6");
  }

  @Test
  void sourcesWithoutDicomUidsAreRefusedWithTheReason() throws Exception {
    final Path nifti = tmp.resolve("scan.nii.gz");
    NiftiWriter.write(DicomSeries.read(folder), NiftiDatatype.INT16, "x", nifti);
    assertThatThrownBy(() -> SegmentationSource.read(nifti))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a NIfTI file: it has no DICOM UIDs")
        .hasMessageContaining("give the DICOM series");
    final Path png = tmp.resolve("photo.png");
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
    assertThatThrownBy(() -> SegmentationSource.read(png))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a PNG/JPEG image: it has no DICOM UIDs");
  }

  @Test
  void aVolumeThatIsNotTheSeriesIsRefused() throws Exception {
    final Volume ingested = DicomSeries.read(folder);
    final SourceSeries series = SourceSeriesReader.read(folder);
    final Volume shorter =
        new Volume(
            java.util.Arrays.copyOf(ingested.voxels(), NX * NY * (NZ - 1)),
            NX,
            NY,
            NZ - 1,
            ingested.dx(),
            ingested.dy(),
            ingested.dz(),
            ingested.affine(),
            ingested.metadata());
    assertThatThrownBy(() -> SegmentationSource.of(series, shorter))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("6x5x6")
        .hasMessageContaining("6x5x7");
    final double[] m = ingested.affine().m().clone();
    m[11] += 3; // origin one slice further: another first instance
    final Volume shifted =
        new Volume(
            ingested.voxels(),
            NX,
            NY,
            NZ,
            ingested.dx(),
            ingested.dy(),
            ingested.dz(),
            new Affine(m),
            ingested.metadata());
    assertThatThrownBy(() -> SegmentationSource.of(series, shifted))
        .hasMessageContaining("not its first instance");
  }

  @Test
  void labelsAreCheckedAsDicomLongStrings() {
    Segment.checkLabel("Thalamus_L");
    Segment.checkLabel("77 Thalamus left");
    assertThatThrownBy(() -> Segment.checkLabel(" ")).hasMessageContaining("blank");
    assertThatThrownBy(() -> Segment.checkLabel("x".repeat(65))).hasMessageContaining("64");
    assertThatThrownBy(() -> Segment.checkLabel("a\\b")).hasMessageContaining("backslash");
    assertThat(SegmentationSource.lo("a\\b\n" + "c".repeat(70))).hasSize(64).startsWith("a b");
    final String cutAtASpace = Segment.labelOf("x".repeat(63) + " yz", "fallback");
    assertThat(cutAtASpace).isEqualTo("x".repeat(63));
    Segment.checkLabel(cutAtASpace);
    assertThat(Segment.labelOf(" \t", "77")).isEqualTo("77");
  }

  @Test
  void aSegFromCoronalMasksPassesDciodvfyAndHasTheInstanceMasksAsFrames() throws Exception {
    final SegmentationSource source = SegmentationSource.read(folder);
    final List<Segment> segments =
        List.of(
            source.segment("from_coronal", SliceAxis.CORONAL, Map.of(3, pattern(NZ, NX))),
            source.segment("nothing", SliceAxis.AXIAL, Map.of()));
    final Path seg = tmp.resolve("seg.dcm");
    Files.write(
        seg, source.write(segments, "MedSAM test", "tiny decoder 1", "0.1.0", Clock.systemUTC()));
    ExternalTool.assumeDciodvfy();
    final ExternalTool.Result v =
        ExternalTool.run(List.of(ExternalTool.DCIODVFY.toString(), seg.toString()));
    assertThat(v.output().lines().filter(l -> l.startsWith("Error")).toList())
        .as(v.output())
        .isEmpty();
    assertThat(v.output().lines()).as(v.output()).contains("Segmentation");
    ExternalTool.assumePydicom();
    final Path script = Path.of(getClass().getResource("/seg_frames.py").toURI());
    final ExternalTool.Result r =
        ExternalTool.run(
            List.of(ExternalTool.PYTHON.toString(), script.toString(), seg.toString()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    final List<String> expected = new ArrayList<>();
    expected.add("segments 2 from_coronal nothing");
    for (int k = 0; k < NZ; k++) {
      final BinaryMask m = segments.get(0).masks().get(k);
      if (m.area() > 0) {
        expected.add(
            "1 "
                + source.series().images().get(k).sopInstanceUid()
                + " "
                + NY
                + "x"
                + NX
                + " "
                + bits(m));
      }
    }
    assertThat(r.output().lines().toList()).containsExactlyElementsOf(expected);
  }

  /** A pattern that differs on every row and column. */
  private static BinaryMask pattern(final int h, final int w) {
    final boolean[] px = new boolean[h * w];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        px[r * w + c] = (r * 3 + c * 5) % 4 < 2 && !(r == 0 && c == 0);
      }
    }
    return new BinaryMask(px, h, w);
  }

  private static BinaryMask rect(
      final int h, final int w, final int c0, final int r0, final int c1, final int r1) {
    final boolean[] px = new boolean[h * w];
    for (int r = r0; r <= r1; r++) {
      for (int c = c0; c <= c1; c++) {
        px[r * w + c] = true;
      }
    }
    return new BinaryMask(px, h, w);
  }

  private static String bits(final BinaryMask m) {
    final StringBuilder sb = new StringBuilder();
    for (final boolean p : m.pixels()) {
      sb.append(p ? '1' : '0');
    }
    return sb.toString();
  }
}
