package io.medsam.stream.imaging.nifti;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.Volume;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads single-file NIfTI-1 volumes (.nii, or gzip-compressed, detected by its magic bytes, not by
 * the file name). Voxels are scaled by scl_slope/scl_inter; a volume containing NaN or infinite
 * voxels is refused, as is a 4D file with more than one volume.
 */
public final class NiftiReader {
  private static final int HEADER_SIZE = 348;

  private NiftiReader() {}

  /** Reads the volume in {@code file}. */
  public static Volume read(final Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in, file.toString());
    }
  }

  /** Reads a volume from bytes; {@code source} names them in error messages. */
  public static Volume read(final byte[] bytes, final String source) throws ImageFormatException {
    try {
      return read(new ByteArrayInputStream(bytes), source);
    } catch (ImageFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new ImageFormatException(source, "unreadable NIfTI data: " + e.getMessage(), e);
    }
  }

  /** Reads only the header of {@code file}. */
  public static NiftiHeader readHeader(final Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return parseHeader(
          readFully(maybeGunzip(in, file.toString()), HEADER_SIZE, file.toString(), "header"),
          file.toString());
    }
  }

  private static Volume read(final InputStream raw, final String source) throws IOException {
    final InputStream in = maybeGunzip(raw, source);
    final boolean gzipped = in != raw;
    final NiftiHeader h = parseHeader(readFully(in, HEADER_SIZE, source, "header"), source);
    final int nx = h.dim()[1];
    final int ny = h.dim()[2];
    final int nz = h.dim()[3];
    final NiftiDatatype type =
        NiftiDatatype.fromCode(h.datatypeCode())
            .orElseThrow(
                () ->
                    new ImageFormatException(
                        source,
                        "unsupported NIfTI datatype "
                            + h.datatypeCode()
                            + " ("
                            + NiftiDatatype.describe(h.datatypeCode())
                            + "); supported: uint8, int8, int16, "
                            + "uint16, int32, uint32, float32, float64"));
    // A single-file NIfTI's data starts at vox_offset, at least 352; some writers leave it 0.
    final long skip = Math.max(h.voxOffset(), HEADER_SIZE + 4) - HEADER_SIZE;
    readFully(in, (int) skip, source, "header extension");
    final long nvox = (long) nx * ny * nz;
    if (nvox * type.bytes() > Integer.MAX_VALUE - 16) {
      throw new ImageFormatException(source, "volume of " + nvox + " voxels is too large");
    }
    final byte[] data = readFully(in, (int) (nvox * type.bytes()), source, "voxel data");
    if (gzipped) {
      verifyGzipTrailer(in, source);
    }
    final ByteBuffer buf =
        ByteBuffer.wrap(data)
            .order(h.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    final float[] voxels = new float[(int) nvox];
    final boolean scale = h.hasScaling();
    int nonFinite = 0;
    int firstBad = -1;
    for (int n = 0; n < voxels.length; n++) {
      float v = type.read(buf);
      if (scale) {
        v = v * h.sclSlope() + h.sclInter();
      }
      if (!Float.isFinite(v)) {
        if (nonFinite++ == 0) {
          firstBad = n;
        }
      }
      voxels[n] = v;
    }
    if (nonFinite > 0) {
      final int i = firstBad % nx;
      final int j = (firstBad / nx) % ny;
      final int k = firstBad / (nx * ny);
      throw new ImageFormatException(
          source,
          nonFinite
              + " of "
              + nvox
              + " voxels are NaN or infinite, or beyond float range (first at voxel ("
              + i
              + ", "
              + j
              + ", "
              + k
              + "))");
    }
    final String fileName =
        Path.of(source).getFileName() == null ? source : Path.of(source).getFileName().toString();
    final ScanMetadata meta =
        new ScanMetadata(
            ScanMetadata.UNKNOWN_MODALITY,
            fileName.replaceFirst("(?i)\\.nii(\\.gz)?$", ""),
            source,
            h.description());
    return new Volume(
        voxels, nx, ny, nz, h.spacing(1), h.spacing(2), h.spacing(3), h.affine(), meta);
  }

  /** Reads the gzip stream to its end, which makes GZIPInputStream check the CRC and size. */
  private static void verifyGzipTrailer(final InputStream in, final String source)
      throws ImageFormatException {
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (EOFException e) {
      throw new ImageFormatException(source, "truncated gzip stream after the voxel data", e);
    } catch (IOException e) {
      throw new ImageFormatException(
          source, "corrupt gzip stream (checksum or trailer): " + e.getMessage(), e);
    }
  }

  /** The gunzipping stream when the content starts with the gzip magic, else {@code in} itself. */
  private static InputStream maybeGunzip(final InputStream in, final String source)
      throws IOException {
    if (!in.markSupported()) {
      throw new IllegalArgumentException("stream must support mark/reset");
    }
    final InputStream buffered = in;
    buffered.mark(2);
    final int b0 = buffered.read();
    final int b1 = buffered.read();
    buffered.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      try {
        return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
      } catch (ZipException | EOFException e) {
        throw new ImageFormatException(source, "corrupt gzip stream: " + e.getMessage(), e);
      }
    }
    return buffered;
  }

  private static byte[] readFully(
      final InputStream in, final int n, final String source, final String part)
      throws ImageFormatException {
    final byte[] out;
    try {
      out = in.readNBytes(n);
    } catch (EOFException e) {
      throw new ImageFormatException(source, "truncated gzip stream while reading the " + part, e);
    } catch (ZipException e) {
      throw new ImageFormatException(
          source, "corrupt gzip stream while reading the " + part + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ImageFormatException(source, "cannot read the " + part + ": " + e.getMessage(), e);
    }
    if (out.length < n) {
      throw new ImageFormatException(
          source,
          "truncated file: the "
              + part
              + " needs "
              + n
              + " bytes but only "
              + out.length
              + " remain");
    }
    return out;
  }

  static NiftiHeader parseHeader(final byte[] b, final String source) throws ImageFormatException {
    final ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    final int sizeLe = buf.getInt(0);
    final boolean little;
    if (sizeLe == HEADER_SIZE) {
      little = true;
    } else if (Integer.reverseBytes(sizeLe) == HEADER_SIZE) {
      little = false;
      buf.order(ByteOrder.BIG_ENDIAN);
    } else {
      throw new ImageFormatException(
          source,
          "not a NIfTI-1 file: sizeof_hdr is " + sizeLe + " (expected 348 in either byte order)");
    }
    final String magic = new String(b, 344, 3, StandardCharsets.US_ASCII);
    if (b[347] != 0 || !(magic.equals("n+1") || magic.equals("ni1"))) {
      throw new ImageFormatException(
          source, "bad NIfTI-1 magic '" + printable(b, 344, 4) + "' (expected \"n+1\" or \"ni1\")");
    }
    if (magic.equals("ni1")) {
      throw new ImageFormatException(
          source, "two-file NIfTI (.hdr/.img, magic ni1) is not supported; convert to .nii");
    }
    final short[] dim = new short[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = buf.getShort(40 + 2 * i);
    }
    if (dim[0] < 1 || dim[0] > 7) {
      throw new ImageFormatException(source, "dim[0] is " + dim[0] + " (must be 1..7)");
    }
    for (int i = 1; i <= dim[0]; i++) {
      if (dim[i] <= 0) {
        throw new ImageFormatException(
            source, "dimension dim[" + i + "] is " + dim[i] + " (must be positive)");
      }
    }
    for (int i = dim[0] + 1; i <= 3; i++) {
      dim[i] = 1;
    }
    for (int i = 4; i <= dim[0]; i++) {
      if (dim[i] > 1) {
        throw new ImageFormatException(
            source,
            "a "
                + dim[0]
                + "D NIfTI with dim["
                + i
                + "] = "
                + dim[i]
                + " is not a single 3D volume");
      }
    }
    final float[] pixdim = new float[8];
    for (int i = 0; i < 8; i++) {
      pixdim[i] = buf.getFloat(76 + 4 * i);
    }
    final float[] quatern = new float[6];
    for (int i = 0; i < 6; i++) {
      quatern[i] = buf.getFloat(256 + 4 * i);
    }
    final float[] srow = new float[12];
    for (int i = 0; i < 12; i++) {
      srow[i] = buf.getFloat(280 + 4 * i);
    }
    final float voxOffset = buf.getFloat(108);
    if (!Float.isFinite(voxOffset) || voxOffset > Integer.MAX_VALUE) {
      throw new ImageFormatException(source, "bad vox_offset " + voxOffset);
    }
    final String descrip =
        new String(b, 148, 80, StandardCharsets.ISO_8859_1).replace('\0', ' ').trim();
    return new NiftiHeader(
        little,
        dim,
        buf.getShort(70),
        pixdim,
        (long) voxOffset,
        buf.getFloat(112),
        buf.getFloat(116),
        buf.getShort(252),
        buf.getShort(254),
        quatern,
        srow,
        descrip,
        magic);
  }

  private static String printable(final byte[] b, final int off, final int len) {
    final StringBuilder s = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      final int c = b[i] & 0xff;
      s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return s.toString();
  }
}
