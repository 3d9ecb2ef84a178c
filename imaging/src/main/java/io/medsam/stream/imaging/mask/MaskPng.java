package io.medsam.stream.imaging.mask;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.raster.RasterReader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Masks as 8-bit grey PNG: foreground 255, background 0; on reading any non-zero is foreground. */
public final class MaskPng {

  private MaskPng() {}

  /** PNG bytes of the mask. */
  public static byte[] toPng(final BinaryMask mask) {
    final BufferedImage img =
        new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
    final byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int n = 0; n < dst.length; n++) {
      dst[n] = mask.pixels()[n] ? (byte) 255 : 0;
    }
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding into memory failed", e);
    }
    return out.toByteArray();
  }

  /** Writes the mask to {@code file}. */
  public static void write(final BinaryMask mask, final Path file) throws IOException {
    Files.write(file, toPng(mask));
  }

  /** Reads a mask PNG (grey or colour; any non-zero sample is foreground). */
  public static BinaryMask read(final Path file) throws IOException {
    return fromPng(Files.readAllBytes(file), file.toString());
  }

  /** Decodes mask PNG bytes; {@code source} names them in error messages. */
  public static BinaryMask fromPng(final byte[] png, final String source)
      throws ImageFormatException {
    final Slice2D img = RasterReader.read(png, source);
    final int n = img.height() * img.width();
    final boolean[] px = new boolean[n];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < img.channels(); ch++) {
        px[i] |= img.pixels()[i * img.channels() + ch] != 0;
      }
    }
    return new BinaryMask(px, img.height(), img.width());
  }
}
