package io.medsam.stream.imaging.nifti;

import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.Volume;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes single-file NIfTI-1 volumes (.nii, or gzip-compressed when the name ends in .gz),
 * little-endian, voxel order as {@link Volume} (i fastest). The affine goes into the sform (code 1,
 * scanner) and the spacing into pixdim; no qform, no scaling. Values are rounded to the chosen
 * integer type (label volumes) or written as float32.
 */
public final class NiftiWriter {

  private static final int HEADER_BYTES = 348;
  private static final int VOX_OFFSET = 352;

  private NiftiWriter() {}

  /**
   * Writes {@code volume} to {@code file}.
   *
   * @param volume the voxels, sizes, spacing and affine
   * @param type UINT8, INT16, INT32 or FLOAT32
   * @param description up to 79 ASCII characters for the descrip field
   * @param file the target; gzip when its name ends in .gz
   * @throws IOException when writing fails
   * @throws IllegalArgumentException when a value does not fit {@code type}
   */
  public static void write(
      final Volume volume, final NiftiDatatype type, final String description, final Path file)
      throws IOException {
    final byte[] bytes = encode(volume, type, description);
    final boolean gzip = file.getFileName().toString().endsWith(".gz");
    try (OutputStream out =
        new BufferedOutputStream(
            gzip
                ? new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)
                : Files.newOutputStream(file))) {
      out.write(bytes);
    }
  }

  /**
   * @param volume the voxels, sizes, spacing and affine
   * @param type UINT8, INT16, INT32 or FLOAT32
   * @param description descrip field (truncated to 79 characters)
   * @return the uncompressed .nii bytes
   */
  public static byte[] encode(
      final Volume volume, final NiftiDatatype type, final String description) {
    final int n = volume.voxelCount();
    final ByteBuffer b =
        ByteBuffer.allocate(VOX_OFFSET + n * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, HEADER_BYTES);
    b.put(38, (byte) 'r');
    final short[] dim = {
      3, (short) volume.nx(), (short) volume.ny(), (short) volume.nz(), 1, 1, 1, 1
    };
    for (int d = 0; d < 8; d++) {
      b.putShort(40 + 2 * d, dim[d]);
    }
    b.putShort(70, (short) type.code());
    b.putShort(72, (short) (8 * type.bytes()));
    final float[] pixdim = {
      1, (float) volume.dx(), (float) volume.dy(), (float) volume.dz(), 0, 0, 0, 0
    };
    for (int d = 0; d < 8; d++) {
      b.putFloat(76 + 4 * d, pixdim[d]);
    }
    b.putFloat(108, VOX_OFFSET);
    b.put(123, (byte) 2); // xyzt_units: millimetres
    final byte[] text = description.getBytes(StandardCharsets.US_ASCII);
    b.put(148, text, 0, Math.min(79, text.length));
    b.putShort(254, (short) 1); // sform_code: scanner
    final Affine a = volume.affine();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        b.putFloat(280 + 16 * r + 4 * c, (float) a.get(r, c));
      }
    }
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    b.position(VOX_OFFSET);
    final float[] v = volume.voxels();
    for (int i = 0; i < n; i++) {
      switch (type) {
        case UINT8 -> b.put((byte) checked(v[i], 0, 255, type));
        case INT16 -> b.putShort((short) checked(v[i], Short.MIN_VALUE, Short.MAX_VALUE, type));
        case INT32 -> b.putInt((int) checked(v[i], Integer.MIN_VALUE, Integer.MAX_VALUE, type));
        case FLOAT32 -> b.putFloat(v[i]);
        default -> throw new IllegalArgumentException("writing " + type + " is not supported");
      }
    }
    return b.array();
  }

  private static long checked(
      final float value, final long min, final long max, final NiftiDatatype type) {
    final long r = Math.round(value);
    if (r < min || r > max) {
      throw new IllegalArgumentException(value + " does not fit " + type);
    }
    return r;
  }
}
