package io.medsam.stream.imaging.raster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Slice2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RasterReaderTest {

  static byte[] encode(final BufferedImage img, final String format) throws Exception {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  static BufferedImage greyGradient(final int w, final int h) {
    final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
      }
    }
    return img;
  }

  @Test
  void readsGreyPngExactly() throws Exception {
    final Slice2D s = RasterReader.read(encode(greyGradient(40, 30), "png"), "grey.png");
    assertThat(s.height()).isEqualTo(30);
    assertThat(s.width()).isEqualTo(40);
    assertThat(s.channels()).isEqualTo(1);
    assertThat(s.at(0, 0, 0)).isEqualTo(0);
    assertThat(s.at(29, 39, 0)).isEqualTo((39 * 7 + 29 * 3) % 256);
    assertThat(s.at(5, 12, 0)).isEqualTo(12 * 7 + 5 * 3);
  }

  @Test
  void readsRgbPngInterleaved() throws Exception {
    final BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(2, 1, 0x10_80_F0);
    img.setRGB(0, 0, 0xFF_00_01);
    final Slice2D s = RasterReader.read(encode(img, "png"), "rgb.png");
    assertThat(s.channels()).isEqualTo(3);
    assertThat(new int[] {s.at(1, 2, 0), s.at(1, 2, 1), s.at(1, 2, 2)})
        .containsExactly(0x10, 0x80, 0xF0);
    assertThat(new int[] {s.at(0, 0, 0), s.at(0, 0, 1), s.at(0, 0, 2)})
        .containsExactly(0xFF, 0x00, 0x01);
  }

  @Test
  void readsSixteenBitGreyScaledToEightBits() throws Exception {
    final BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 1000);
    img.getRaster().setSample(1, 0, 0, 2000);
    img.getRaster().setSample(2, 0, 0, 3000);
    final Slice2D s = RasterReader.read(encode(img, "png"), "16.png");
    assertThat(new int[] {s.at(0, 0, 0), s.at(0, 1, 0), s.at(0, 2, 0)})
        .containsExactly(0, 128, 255);
  }

  @Test
  void readsGreyJpegApproximately() throws Exception {
    final BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        img.getRaster().setSample(x, y, 0, 100);
      }
    }
    final Slice2D s = RasterReader.read(encode(img, "jpg"), "flat.jpg");
    assertThat(s.channels()).isEqualTo(1);
    assertThat(s.at(8, 8, 0)).isBetween(98, 102);
  }

  @Test
  void truncatedPngIsRefused() throws Exception {
    final byte[] png = encode(greyGradient(200, 200), "png");
    assertThatThrownBy(() -> RasterReader.read(Arrays.copyOf(png, png.length / 2), "cut.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("cut.png: truncated or garbled image");
  }

  @Test
  void garbledPngIsRefused() throws Exception {
    final byte[] png = encode(greyGradient(200, 200), "png");
    for (int i = 100; i < png.length - 40; i += 3) {
      png[i] = (byte) (png[i] ^ 0x5A);
    }
    assertThatThrownBy(() -> RasterReader.read(png, "garbled.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("garbled.png: ");
  }

  @Test
  void truncatedJpegIsRefused() throws Exception {
    final byte[] jpg = encode(greyGradient(200, 200), "jpg");
    assertThatThrownBy(() -> RasterReader.read(Arrays.copyOf(jpg, jpg.length / 2), "cut.jpg"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith("cut.jpg: damaged JPEG image: ");
  }

  @Test
  void unknownBytesAreRefused() {
    assertThatThrownBy(() -> RasterReader.read(new byte[] {1, 2, 3, 4, 5}, "noise.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("noise.png: not a PNG/JPEG image (no decoder recognises it)");
  }
}
