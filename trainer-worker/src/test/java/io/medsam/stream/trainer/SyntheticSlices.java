package io.medsam.stream.trainer;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.records.EmbeddingTensor;
import io.medsam.stream.records.Float16;
import io.medsam.stream.records.InvalidEmbeddingException;
import io.medsam.stream.records.Masks;
import io.medsam.stream.trainer.intake.TrainingPair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Synthetic slices for the toy bundle (embedding 16 x 8 x 8, slices 48 x 40): one ellipse per
 * slice, whose coarse occupancy is written into the first four embedding channels (the rest is
 * noise), so a decoder can learn to segment it from the embedding and the box.
 */
public final class SyntheticSlices {

  /** The toy bundle folder in the test resources. */
  public static final Path TOY_BUNDLE = Path.of("src/test/resources/toy-bundle");

  public static final int HEIGHT = 48;
  public static final int WIDTH = 40;
  private static final int C = 16;
  private static final int G = 8;

  private SyntheticSlices() {}

  /** The sliceKey of synthetic slice {@code i} in a series. */
  public static String key(final String series, final int i) {
    return series + "/axial/" + i;
  }

  /** The ground-truth ellipse of a slice (deterministic per key). */
  public static BinaryMask mask(final String sliceKey) {
    final Random r = new Random(sliceKey.hashCode());
    final double cy = 12 + r.nextDouble() * (HEIGHT - 24);
    final double cx = 10 + r.nextDouble() * (WIDTH - 20);
    final double ry = 5 + r.nextDouble() * 7;
    final double rx = 4 + r.nextDouble() * 6;
    final boolean[] px = new boolean[HEIGHT * WIDTH];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        final double dy = (y - cy) / ry;
        final double dx = (x - cx) / rx;
        px[y * WIDTH + x] = dy * dy + dx * dx <= 1;
      }
    }
    return new BinaryMask(px, HEIGHT, WIDTH);
  }

  /** The complement of a mask (every pixel flipped): a poisoned label. */
  public static BinaryMask inverted(final BinaryMask mask) {
    final boolean[] px = new boolean[mask.pixels().length];
    for (int i = 0; i < px.length; i++) {
      px[i] = !mask.pixels()[i];
    }
    return new BinaryMask(px, mask.height(), mask.width());
  }

  /** The mask moved by (dy, dx) pixels: a correction drawn a little off the structure. */
  public static BinaryMask shifted(final BinaryMask mask, final int dy, final int dx) {
    final boolean[] px = new boolean[mask.pixels().length];
    for (int y = 0; y < mask.height(); y++) {
      for (int x = 0; x < mask.width(); x++) {
        final int sy = y - dy;
        final int sx = x - dx;
        px[y * mask.width() + x] =
            sy >= 0 && sy < mask.height() && sx >= 0 && sx < mask.width() && mask.get(sy, sx);
      }
    }
    return new BinaryMask(px, mask.height(), mask.width());
  }

  /** The slice's embedding (float16), encoding the ellipse's occupancy per grid cell. */
  public static SliceEmbedding embedding(final String sliceKey) {
    final BinaryMask m = mask(sliceKey);
    final Random noise = new Random(sliceKey.hashCode() * 31L + 7);
    final ByteBuffer data = ByteBuffer.allocate(C * G * G * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < C; c++) {
      for (int gy = 0; gy < G; gy++) {
        for (int gx = 0; gx < G; gx++) {
          final float v =
              c < 4 ? (float) (3 * occupancy(m, gy, gx) - 1) : (float) (noise.nextGaussian() * 0.5);
          data.putShort(Float16.fromFloat(v));
        }
      }
    }
    data.flip();
    return SliceEmbedding.newBuilder()
        .setSliceKey(sliceKey)
        .setSeriesUid(sliceKey.substring(0, sliceKey.indexOf('/')))
        .setEncoderModelId("toy-encoder")
        .setShape(List.of(C, G, G))
        .setDtype("float16")
        .setData(data)
        .setImageHeight(HEIGHT)
        .setImageWidth(WIDTH)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(1.0)
        .setEncodedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  private static double occupancy(final BinaryMask m, final int gy, final int gx) {
    int hit = 0;
    int all = 0;
    for (int y = gy * HEIGHT / G; y < (gy + 1) * HEIGHT / G; y++) {
      for (int x = gx * WIDTH / G; x < (gx + 1) * WIDTH / G; x++) {
        all++;
        hit += m.get(y, x) ? 1 : 0;
      }
    }
    return (double) hit / all;
  }

  /** A correction carrying {@code mask} for the slice, with no box (derive it from the mask). */
  public static Correction correction(
      final String id, final String sliceKey, final BinaryMask mask) {
    return Correction.newBuilder()
        .setCorrectionId(id)
        .setSliceKey(sliceKey)
        .setLabel("ellipse")
        .setAnnotator("test")
        .setMask(Masks.toRleMask(mask))
        .setBox((Box) null)
        .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  /** A validated pair for slice {@code sliceKey} (no Kafka involved). */
  public static TrainingPair pair(final String sliceKey, final BinaryMask mask) {
    return new TrainingPair(
        "c-" + sliceKey,
        sliceKey,
        "ellipse",
        tensor(embedding(sliceKey)),
        mask,
        mask.boundingBox().orElseThrow(),
        0,
        0);
  }

  /** The validated view of a synthetic embedding (always valid). */
  public static EmbeddingTensor tensor(final SliceEmbedding e) {
    try {
      return EmbeddingTensor.of(e);
    } catch (final InvalidEmbeddingException ex) {
      throw new IllegalStateException("synthetic embedding is invalid: " + ex.getMessage(), ex);
    }
  }
}
