package io.medsam.stream.imaging.nifti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.testing.NiftiFixtures;
import io.medsam.stream.imaging.testing.NiftiFixtures.Spec;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiReaderTest {
  private static final Path CH2 = NiftiFixtures.TEMPLATES.resolve("ch2.nii.gz");
  private static final Path AAL = NiftiFixtures.TEMPLATES.resolve("aal.nii.gz");

  @TempDir Path tmp;

  @Test
  void readsCh2TemplateLikeNibabel() throws Exception {
    final Volume v = NiftiReader.read(CH2);
    assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(181, 217, 181);
    assertThat(new double[] {v.dx(), v.dy(), v.dz()}).containsExactly(1.0, 1.0, 1.0);
    // Expected values from: /usr/bin/python3 -c "import nibabel as nib; a=nib.load(
    //   '/usr/share/mricron/templates/ch2.nii.gz').get_fdata(); print(a[90,108,90], a[60,100,80],
    //   a[120,150,70], a.sum())" -> 33.0 113.0 110.0 317151210.0; img.affine is the sform below.
    assertThat(v.at(90, 108, 90)).isEqualTo(33f);
    assertThat(v.at(60, 100, 80)).isEqualTo(113f);
    assertThat(v.at(120, 150, 70)).isEqualTo(110f);
    double sum = 0;
    for (final float x : v.voxels()) {
      sum += x;
    }
    assertThat(sum).isEqualTo(317151210.0);
    assertThat(v.affine().m())
        .containsExactly(1, 0, 0, -90, 0, 1, 0, -125, 0, 0, 1, -71, 0, 0, 0, 1);
    assertThat(v.metadata().seriesUid()).isEqualTo("ch2");
  }

  @Test
  void readsAalLabelsLikeNibabel() throws Exception {
    final Volume v = NiftiReader.read(AAL);
    assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(181, 217, 181);
    assertThat(new double[] {v.dx(), v.dy(), v.dz()}).containsExactly(1.0, 1.0, 1.0);
    // nibabel: a[120,150,70] = 30.0, a[90,108,90] = 0.0, a.max() = 116.0, (a != 0).sum() = 1479969
    assertThat(v.at(120, 150, 70)).isEqualTo(30f);
    assertThat(v.at(90, 108, 90)).isEqualTo(0f);
    float max = 0;
    int nonZero = 0;
    for (final float x : v.voxels()) {
      max = Math.max(max, x);
      nonZero += x != 0 ? 1 : 0;
    }
    assertThat(max).isEqualTo(116f);
    assertThat(nonZero).isEqualTo(1479969);
  }

  @Test
  void gzipIsDetectedByContentNotName() throws Exception {
    final Spec s = ramp(new Spec());
    final Path plainNamedGz = NiftiFixtures.write(tmp, "plain.nii.gz", NiftiFixtures.bytes(s));
    final Path gzNamedNii =
        NiftiFixtures.write(tmp, "packed.nii", NiftiFixtures.gzip(NiftiFixtures.bytes(s)));
    assertThat(NiftiReader.read(plainNamedGz).voxels()).containsExactly(floats(s.voxels));
    assertThat(NiftiReader.read(gzNamedNii).voxels()).containsExactly(floats(s.voxels));
  }

  @Test
  void decodesEveryDatatypeInBothByteOrders() throws Exception {
    final double[][] cases = {
      {2, 0, 255},
      {256, -128, 127},
      {4, -32768, 32767},
      {512, 0, 65535},
      {8, -2147483648.0, 2147483647.0},
      {768, 0, 4294967295.0},
      {16, -1.5e30, 3.25},
      {64, -0.125, 1e30}
    };
    for (final ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      for (final double[] c : cases) {
        final Spec s = new Spec();
        s.order = order;
        s.datatype = (short) c[0];
        s.voxels = new double[24];
        s.voxels[0] = c[1];
        s.voxels[23] = c[2];
        s.voxels[5] = 7;
        final Volume v = NiftiReader.read(NiftiFixtures.bytes(s), "dt" + (int) c[0]);
        assertThat(v.voxels()[0]).as("datatype %s %s min", c[0], order).isEqualTo((float) c[1]);
        assertThat(v.voxels()[23]).as("datatype %s %s max", c[0], order).isEqualTo((float) c[2]);
        assertThat(v.voxels()[5]).isEqualTo(7f);
      }
    }
  }

  @Test
  void appliesSlopeAndInterceptButNotAZeroSlope() throws Exception {
    final Spec s = ramp(new Spec());
    s.sclSlope = 2.5f;
    s.sclInter = -10f;
    final Volume scaled = NiftiReader.read(NiftiFixtures.bytes(s), "scaled");
    assertThat(scaled.voxels()[3]).isEqualTo(3 * 2.5f - 10f);
    s.sclSlope = 0f;
    final Volume unscaled = NiftiReader.read(NiftiFixtures.bytes(s), "slope0");
    assertThat(unscaled.voxels()[3]).isEqualTo(3f);
  }

  @Test
  void voxelOrderSpacingAndQformAffineMatchNibabel() throws Exception {
    final Spec s = ramp(new Spec());
    s.pixdim = new float[] {-1, 2, 3, 4, 0, 0, 0, 0};
    s.qformCode = 1;
    s.quatern = new float[] {0.1f, 0.2f, 0.3f, 10, 20, 30};
    final Volume v = NiftiReader.read(NiftiFixtures.bytes(s), "qform");
    assertThat(v.at(1, 2, 3)).isEqualTo((float) (1 + 2 * 2 + 3 * 6));
    assertThat(new double[] {v.dx(), v.dy(), v.dz()}).containsExactly(2.0, 3.0, 4.0);
    // nibabel: h = Nifti1Header(); shape (2,3,4); zooms (2,3,4); pixdim[0] = -1;
    // quatern b,c,d = .1,.2,.3; qoffset 10,20,30; qform_code 1; h.get_qform() ->
    final double[] expected = {
      1.479999966621,
      -1.549251383555,
      -1.723778987047,
      10,
      1.192834260472,
      2.399999955297,
      0.261889460741,
      20,
      -0.62188948041,
      0.916417134895,
      -3.599999988079,
      30,
      0,
      0,
      0,
      1
    };
    final double[] m = v.affine().m();
    for (int i = 0; i < 16; i++) {
      assertThat(m[i]).as("affine[%d]", i).isCloseTo(expected[i], within(1e-6));
    }
  }

  @Test
  void sformWinsOverQform() throws Exception {
    final Spec s = ramp(new Spec());
    s.qformCode = 1;
    s.quatern = new float[] {0, 0, 0, 5, 5, 5};
    s.sformCode = 2;
    s.srow = new float[] {-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72};
    final Volume v = NiftiReader.read(NiftiFixtures.bytes(s), "sform");
    assertThat(v.affine().m())
        .containsExactly(-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1);
  }

  // ---- bad input: one test per case ----

  @Test
  void truncatedGzipIsRefusedNamingTheFile() throws Exception {
    final byte[] all = Files.readAllBytes(CH2);
    final Path cut = NiftiFixtures.write(tmp, "cut.nii.gz", Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> NiftiReader.read(cut))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(cut.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void truncatedUncompressedVoxelDataIsRefused() throws Exception {
    final byte[] full = NiftiFixtures.bytes(ramp(new Spec()));
    final Path cut = NiftiFixtures.write(tmp, "cut.nii", Arrays.copyOf(full, full.length - 5));
    assertThatThrownBy(() -> NiftiReader.read(cut))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated file: the voxel data needs 48 bytes but only 43 remain");
  }

  @Test
  void garbledGzipStreamIsRefused() throws Exception {
    final byte[] all = Files.readAllBytes(CH2);
    for (int i = 2000; i < 2400; i++) {
      all[i] = (byte) (i * 31);
    }
    final Path bad = NiftiFixtures.write(tmp, "garbled.nii.gz", all);
    assertThatThrownBy(() -> NiftiReader.read(bad))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(bad.toString())
        .hasMessageContaining("corrupt gzip stream");
  }

  @Test
  void badSizeofHdrIsRefused() {
    final Spec s = ramp(new Spec());
    s.sizeofHdr = 540;
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "nifti2.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(
            "nifti2.nii: not a NIfTI-1 file: sizeof_hdr is 540 (expected 348 in either "
                + "byte order)");
  }

  @Test
  void badMagicIsRefused() {
    final Spec s = ramp(new Spec());
    s.magic = "xyz";
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "magic.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("magic.nii: bad NIfTI-1 magic 'xyz\\x00'");
  }

  @Test
  void unknownDatatypeIsRefusedByCodeAndName() {
    final Spec s = ramp(new Spec());
    s.datatype = 128;
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "rgb.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("rgb.nii: unsupported NIfTI datatype 128 (DT_RGB24)");
  }

  @Test
  void zeroDimensionIsRefused() {
    final Spec s = ramp(new Spec());
    s.dim[2] = 0;
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "zero.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("zero.nii: dimension dim[2] is 0 (must be positive)");
  }

  @Test
  void negativeDimensionIsRefused() {
    final Spec s = ramp(new Spec());
    s.dim[3] = -4;
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "negative.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("negative.nii: dimension dim[3] is -4 (must be positive)");
  }

  @Test
  void nanVoxelsAreRefusedWithCountAndPosition() {
    final Spec s = ramp(new Spec());
    s.datatype = 16;
    s.voxels[7] = Double.NaN;
    s.voxels[9] = Double.NaN;
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "nan.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(
            "nan.nii: 2 of 24 voxels are NaN or infinite, or beyond float range (first at voxel (1, 0, 1))");
  }

  @Test
  void fourDimensionalSeriesIsRefused() {
    final Spec s = ramp(new Spec());
    s.dim = new short[] {4, 2, 3, 2, 2, 1, 1, 1};
    assertThatThrownBy(() -> NiftiReader.read(NiftiFixtures.bytes(s), "fmri.nii"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("dim[4] = 2 is not a single 3D volume");
  }

  private static Spec ramp(final Spec s) {
    for (int n = 0; n < s.voxels.length; n++) {
      s.voxels[n] = n;
    }
    return s;
  }

  private static float[] floats(final double[] d) {
    final float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
