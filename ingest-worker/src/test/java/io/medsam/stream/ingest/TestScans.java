package io.medsam.stream.ingest;

import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.serde.AvroCodec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Scan files for the ingest tests: NIfTI headers that claim sizes, gzip bombs, large images. */
final class TestScans {

  private TestScans() {}

  /**
   * A NIfTI-1 file (gzip when the name ends in .gz) claiming nx × ny × nz voxels of 1 byte (uint8)
   * or 2 (int16) and holding {@code dataBytes} zero bytes of data after its header.
   */
  static Path nifti(
      final Path file,
      final int nx,
      final int ny,
      final int nz,
      final int voxelBytes,
      final long dataBytes)
      throws IOException {
    final ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, 348);
    h.putShort(40, (short) 3);
    h.putShort(42, (short) nx);
    h.putShort(44, (short) ny);
    h.putShort(46, (short) nz);
    h.putShort(48, (short) 1);
    h.putShort(70, (short) (voxelBytes == 2 ? 4 : 2)); // int16 or uint8
    h.putShort(72, (short) (8 * voxelBytes));
    for (int i = 0; i < 4; i++) {
      h.putFloat(76 + 4 * i, 1f);
    }
    h.putFloat(108, 352f);
    h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out =
            file.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw) {
      out.write(h.array());
      final byte[] zeros = new byte[1 << 20];
      for (long left = dataBytes; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(left, zeros.length));
      }
    }
    return file;
  }

  /**
   * A black PNG of {@code width} × {@code height} pixels of {@code type} (BufferedImage.TYPE_*).
   */
  static Path png(final Path file, final int width, final int height, final int type)
      throws IOException {
    final BufferedImage image = new BufferedImage(width, height, type);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  /** The dead letters among {@code records}, decoded. */
  static List<DeadLetter> deadLetters(final List<ConsumerRecord<byte[], byte[]>> records) {
    final AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    return records.stream()
        .map(r -> codec.decode(r.value(), r.topic(), r.partition(), r.offset()))
        .toList();
  }

  /** The ScanEvent a dead letter carries. */
  static ScanEvent payload(final DeadLetter letter) {
    final byte[] bytes = new byte[letter.getPayload().remaining()];
    letter.getPayload().duplicate().get(bytes);
    return AvroCodec.of(ScanEvent.class).decode(bytes, "dead letter", 0, 0);
  }
}
