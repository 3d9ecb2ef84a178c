package io.medsam.stream.imaging.dicom;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.ScanMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one DICOM instance: parses it, decodes native pixel data (1, 8, 16 or 32 bits allocated,
 * signed or unsigned, honouring BitsStored) and applies RescaleSlope/RescaleIntercept.
 */
public final class DicomReader {

  private DicomReader() {}

  /** Reads and decodes {@code file}. */
  public static DicomInstance read(final Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** Decodes the bytes of a DICOM file; {@code source} names them in error messages. */
  public static DicomInstance read(final byte[] bytes, final String source)
      throws ImageFormatException {
    final DicomDataset ds = DicomParser.parse(bytes, source);
    final int rows = ds.integer(DicomTags.ROWS, 0);
    final int columns = ds.integer(DicomTags.COLUMNS, 0);
    if (rows <= 0 || columns <= 0) {
      throw new ImageFormatException(
          source,
          "image size is "
              + rows
              + " rows x "
              + columns
              + " columns (Rows and Columns must be present and positive)");
    }
    final int frames = ds.integer(DicomTags.NUMBER_OF_FRAMES, 1);
    final int samples = ds.integer(DicomTags.SAMPLES_PER_PIXEL, 1);
    if (frames <= 0 || (samples != 1 && samples != 3)) {
      throw new ImageFormatException(
          source, "unsupported NumberOfFrames " + frames + " / SamplesPerPixel " + samples);
    }
    final double slope = ds.number(DicomTags.RESCALE_SLOPE, 1.0);
    final double intercept = ds.number(DicomTags.RESCALE_INTERCEPT, 0.0);
    if (!Double.isFinite(slope) || !Double.isFinite(intercept)) {
      throw new ImageFormatException(source, "rescale slope/intercept not finite");
    }
    final float[] pixels = decodePixels(ds, rows, columns, frames, samples, slope, intercept);
    final double[] spacing = ds.doubles(DicomTags.PIXEL_SPACING);
    if (spacing != null && (spacing.length != 2 || !(spacing[0] > 0) || !(spacing[1] > 0))) {
      throw new ImageFormatException(
          source, "bad PixelSpacing " + ds.string(DicomTags.PIXEL_SPACING));
    }
    return new DicomInstance(
        source,
        ds.transferSyntax(),
        orDefault(ds.string(DicomTags.MODALITY), ScanMetadata.UNKNOWN_MODALITY),
        orDefault(ds.string(DicomTags.SERIES_INSTANCE_UID), ""),
        orDefault(ds.string(DicomTags.SOP_INSTANCE_UID), ""),
        orDefault(ds.string(DicomTags.SERIES_DESCRIPTION), ""),
        rows,
        columns,
        frames,
        samples,
        slope,
        intercept,
        spacing,
        vector(ds, DicomTags.IMAGE_POSITION_PATIENT, 3),
        vector(ds, DicomTags.IMAGE_ORIENTATION_PATIENT, 6),
        optional(ds, DicomTags.SLICE_LOCATION),
        ds.contains(DicomTags.INSTANCE_NUMBER) && !ds.string(DicomTags.INSTANCE_NUMBER).isEmpty()
            ? ds.integer(DicomTags.INSTANCE_NUMBER, 0)
            : null,
        optional(ds, DicomTags.SLICE_THICKNESS),
        optional(ds, DicomTags.SPACING_BETWEEN_SLICES),
        pixels);
  }

  private static float[] decodePixels(
      final DicomDataset ds,
      final int rows,
      final int columns,
      final int frames,
      final int samples,
      final double slope,
      final double intercept)
      throws ImageFormatException {
    final String source = ds.source();
    final ByteBuffer data = ds.value(DicomTags.PIXEL_DATA);
    if (data == null) {
      throw new ImageFormatException(source, "no Pixel Data element (7FE0,0010)");
    }
    final int allocated = ds.integer(DicomTags.BITS_ALLOCATED, 0);
    final int stored = ds.integer(DicomTags.BITS_STORED, allocated);
    final boolean signed = ds.integer(DicomTags.PIXEL_REPRESENTATION, 0) == 1;
    if (allocated != 1 && allocated != 8 && allocated != 16 && allocated != 32) {
      throw new ImageFormatException(source, "unsupported BitsAllocated " + allocated);
    }
    if (stored <= 0 || stored > allocated) {
      throw new ImageFormatException(
          source, "BitsStored " + stored + " does not fit BitsAllocated " + allocated);
    }
    final long count = (long) rows * columns * frames * samples;
    final long needed = allocated == 1 ? (count + 7) / 8 : count * (allocated / 8);
    if (data.remaining() < needed || count > Integer.MAX_VALUE) {
      throw new ImageFormatException(
          source,
          "truncated pixel data: "
              + rows
              + "x"
              + columns
              + "x"
              + frames
              + " frames x "
              + samples
              + " samples at "
              + allocated
              + " bits need "
              + needed
              + " bytes, found "
              + data.remaining());
    }
    final boolean planar = samples == 3 && ds.integer(DicomTags.PLANAR_CONFIGURATION, 0) == 1;
    final float[] out = new float[(int) count];
    final int plane = rows * columns;
    for (int n = 0; n < out.length; n++) {
      final long raw =
          switch (allocated) {
            case 1 -> (data.get(data.position() + n / 8) >> (n % 8)) & 1;
            case 8 -> data.get() & 0xffL;
            case 16 -> data.getShort() & 0xffffL;
            default -> data.getInt() & 0xffffffffL;
          };
      final double value = storedValue(raw, stored, signed) * slope + intercept;
      // Planar configuration 1 stores RRR..GGG..BBB per frame; output is interleaved RGBRGB.
      final int dest = planar ? planarToInterleaved(n, plane) : n;
      out[dest] = (float) value;
    }
    return out;
  }

  private static long storedValue(final long raw, final int stored, final boolean signed) {
    final long masked = stored >= 64 ? raw : raw & ((1L << stored) - 1);
    if (signed && stored > 1 && (masked & (1L << (stored - 1))) != 0) {
      return masked - (1L << stored);
    }
    return masked;
  }

  private static int planarToInterleaved(final int n, final int plane) {
    final int frame = n / (3 * plane);
    final int within = n % (3 * plane);
    final int sample = within / plane;
    final int pixel = within % plane;
    return frame * 3 * plane + pixel * 3 + sample;
  }

  private static double[] vector(final DicomDataset ds, final int tag, final int n)
      throws ImageFormatException {
    final double[] v = ds.doubles(tag);
    if (v == null) {
      return null;
    }
    if (v.length != n) {
      throw new ImageFormatException(
          ds.source(),
          "attribute " + DicomTags.format(tag) + " has " + v.length + " values, expected " + n);
    }
    return v;
  }

  private static Double optional(final DicomDataset ds, final int tag) throws ImageFormatException {
    final double[] v = ds.doubles(tag);
    return v == null ? null : v[0];
  }

  private static String orDefault(final String s, final String fallback) {
    return s == null || s.isEmpty() ? fallback : s;
  }
}
