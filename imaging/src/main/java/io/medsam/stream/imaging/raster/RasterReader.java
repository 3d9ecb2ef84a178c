package io.medsam.stream.imaging.raster;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Slice2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG and JPEG images (any format javax.imageio knows) into a {@link Slice2D}: one channel
 * for grey images, three (RGB, interleaved) for colour ones; alpha is dropped. 8-bit samples are
 * kept as they are; 16-bit grey is scaled linearly from its min..max to 0..255. Decoder warnings
 * (such as a JPEG that ends early) are errors. Spacing is 1 mm, position 0.
 */
public final class RasterReader {

  private RasterReader() {}

  /** Reads {@code file}. */
  public static Slice2D read(final Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** Decodes image bytes; {@code source} names them in error messages. */
  public static Slice2D read(final byte[] bytes, final String source) throws ImageFormatException {
    final BufferedImage img = decode(bytes, source);
    final int h = img.getHeight();
    final int w = img.getWidth();
    final Raster raster = img.getRaster();
    final int colourBands = img.getColorModel().getColorSpace().getNumComponents();
    final boolean indexed =
        img.getType() == BufferedImage.TYPE_BYTE_BINARY
            || img.getType() == BufferedImage.TYPE_BYTE_INDEXED;
    if (colourBands == 1 && !indexed) {
      return new Slice2D(
          grey(raster, h, w, img.getColorModel().getComponentSize(0)), h, w, 1, 1.0, 1.0, 0.0);
    }
    final byte[] rgb = new byte[h * w * 3];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        final int argb = img.getRGB(c, r);
        final int o = (r * w + c) * 3;
        rgb[o] = (byte) (argb >> 16);
        rgb[o + 1] = (byte) (argb >> 8);
        rgb[o + 2] = (byte) argb;
      }
    }
    return new Slice2D(rgb, h, w, 3, 1.0, 1.0, 0.0);
  }

  private static byte[] grey(final Raster raster, final int h, final int w, final int bits) {
    final int[] v = raster.getSamples(0, 0, w, h, 0, new int[h * w]);
    final byte[] out = new byte[h * w];
    if (bits <= 8) {
      for (int n = 0; n < v.length; n++) {
        out[n] = (byte) v[n];
      }
      return out;
    }
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (final int x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    final double scale = max > min ? 255.0 / (max - min) : 0;
    for (int n = 0; n < v.length; n++) {
      out[n] = (byte) Math.round((v[n] - min) * scale);
    }
    return out;
  }

  private static BufferedImage decode(final byte[] bytes, final String source)
      throws ImageFormatException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      final Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageFormatException(source, "not a PNG/JPEG image (no decoder recognises it)");
      }
      final ImageReader reader = readers.next();
      final StringBuilder warnings = new StringBuilder();
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener((r, warning) -> warnings.append(warning).append("; "));
        final BufferedImage img = reader.read(0);
        if (warnings.length() > 0) {
          throw new ImageFormatException(
              source,
              "damaged "
                  + reader.getFormatName()
                  + " image: "
                  + warnings.substring(0, warnings.length() - 2));
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (ImageFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO reports truncated or garbled streams as IIOException, and some decoders as
      // IndexOutOfBounds/IllegalArgument exceptions.
      final Throwable cause = e.getCause();
      throw new ImageFormatException(
          source,
          "truncated or garbled image: "
              + e.getMessage()
              + (cause == null ? "" : " (" + cause.getMessage() + ")"),
          e);
    }
  }
}
