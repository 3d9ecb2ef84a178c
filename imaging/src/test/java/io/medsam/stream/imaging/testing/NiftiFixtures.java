package io.medsam.stream.imaging.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small NIfTI-1 files for tests (header fields set explicitly, voxels from doubles). */
public final class NiftiFixtures {
  /** Real template volumes from the Debian package mricron-data. */
  public static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");

  private NiftiFixtures() {}

  /** A mutable description of the file to write. */
  public static final class Spec {
    public ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    public short[] dim = {3, 2, 3, 4, 1, 1, 1, 1};
    public short datatype = 4;
    public float[] pixdim = {1, 1, 1, 1, 0, 0, 0, 0};
    public float sclSlope = 0;
    public float sclInter = 0;
    public short qformCode = 0;
    public short sformCode = 0;
    public float[] quatern = new float[6];
    public float[] srow = new float[12];
    public String magic = "n+1";
    public int sizeofHdr = 348;
    public double[] voxels = new double[24];
  }

  /** The file's bytes (uncompressed). */
  public static byte[] bytes(final Spec s) {
    final int bytesPerVoxel =
        switch (s.datatype) {
          case 2, 256 -> 1;
          case 4, 512 -> 2;
          case 64 -> 8;
          default -> 4;
        };
    final ByteBuffer b = ByteBuffer.allocate(352 + s.voxels.length * bytesPerVoxel).order(s.order);
    b.putInt(0, s.sizeofHdr);
    for (int i = 0; i < 8; i++) {
      b.putShort(40 + 2 * i, s.dim[i]);
      b.putFloat(76 + 4 * i, s.pixdim[i]);
    }
    b.putShort(70, s.datatype);
    b.putShort(72, (short) (8 * bytesPerVoxel));
    b.putFloat(108, 352);
    b.putFloat(112, s.sclSlope);
    b.putFloat(116, s.sclInter);
    b.putShort(252, s.qformCode);
    b.putShort(254, s.sformCode);
    for (int i = 0; i < 6; i++) {
      b.putFloat(256 + 4 * i, s.quatern[i]);
    }
    for (int i = 0; i < 12; i++) {
      b.putFloat(280 + 4 * i, s.srow[i]);
    }
    final byte[] magic = s.magic.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i < magic.length && i < 4; i++) {
      b.put(344 + i, magic[i]);
    }
    b.position(352);
    for (final double v : s.voxels) {
      switch (s.datatype) {
        case 2, 256 -> b.put((byte) v);
        case 4, 512 -> b.putShort((short) (long) v);
        case 8, 768 -> b.putInt((int) (long) v);
        case 16 -> b.putFloat((float) v);
        case 64 -> b.putDouble(v);
        default -> b.putInt((int) v);
      }
    }
    return b.array();
  }

  /** Gzip-compresses bytes. */
  public static byte[] gzip(final byte[] raw) throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  /** Writes bytes to {@code dir/name} and returns the path. */
  public static Path write(final Path dir, final String name, final byte[] content)
      throws IOException {
    final Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }
}
