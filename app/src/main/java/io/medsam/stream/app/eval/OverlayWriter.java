package io.medsam.stream.app.eval;

import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.preprocess.PixelBox;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Overlay images for people: the grey slice, each predicted mask tinted in its target's colour
 * (half transparent) and each prompt box outlined in the same colour, scaled up for viewing.
 */
public final class OverlayWriter {

  /** Colours of successive targets. */
  private static final Color[] PALETTE = {
    new Color(230, 25, 75),
    new Color(60, 180, 75),
    new Color(0, 130, 200),
    new Color(245, 130, 48),
    new Color(145, 30, 180),
    new Color(70, 240, 240),
    new Color(240, 50, 230),
    new Color(210, 245, 60)
  };

  private static final String[] NAMES = {
    "red", "green", "blue", "orange", "purple", "cyan", "magenta", "lime"
  };

  private static final int SCALE = 3;

  private OverlayWriter() {}

  /** One target drawn on a slice: its mask, its boxes and its colour index. */
  public record Layer(BinaryMask mask, List<PixelBox> boxes, int colour) {}

  /**
   * @param slice the normalized grey slice
   * @param layers what to draw
   * @return the RGB overlay, {@value #SCALE}x the slice's size
   */
  public static BufferedImage render(final Slice2D slice, final List<Layer> layers) {
    final int h = slice.height();
    final int w = slice.width();
    final BufferedImage img = new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int red = slice.at(r, c, 0);
        int green = red;
        int blue = red;
        for (final Layer l : layers) {
          if (l.mask() != null && l.mask().get(r, c)) {
            final Color k = PALETTE[l.colour() % PALETTE.length];
            red = (red + k.getRed()) / 2;
            green = (green + k.getGreen()) / 2;
            blue = (blue + k.getBlue()) / 2;
          }
        }
        final int rgb = (red << 16) | (green << 8) | blue;
        for (int dy = 0; dy < SCALE; dy++) {
          for (int dx = 0; dx < SCALE; dx++) {
            img.setRGB(c * SCALE + dx, r * SCALE + dy, rgb);
          }
        }
      }
    }
    final Graphics2D g = img.createGraphics();
    try {
      g.setStroke(new BasicStroke(2f));
      for (final Layer l : layers) {
        g.setColor(PALETTE[l.colour() % PALETTE.length]);
        for (final PixelBox b : l.boxes()) {
          g.drawRect(
              (int) Math.round(b.x0() * SCALE),
              (int) Math.round(b.y0() * SCALE),
              (int) Math.round((b.x1() - b.x0() + 1) * SCALE) - 1,
              (int) Math.round((b.y1() - b.y0() + 1) * SCALE) - 1);
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * Renders and writes a PNG.
   *
   * @param slice the grey slice
   * @param layers what to draw
   * @param file the PNG file
   * @throws IOException when writing fails
   */
  public static void write(final Slice2D slice, final List<Layer> layers, final Path file)
      throws IOException {
    if (!ImageIO.write(render(slice, layers), "png", file.toFile())) {
      throw new IOException("no PNG writer in this JVM");
    }
  }

  /**
   * @return the name of colour index {@code i} (for a legend)
   */
  public static String colourName(final int i) {
    return NAMES[i % NAMES.length];
  }
}
