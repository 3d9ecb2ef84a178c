package io.medsam.stream.dicom.write;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** New DICOM UIDs: {@code 2.25.<random UUID as an unsigned integer>} (PS3.5 B.2). */
public final class Uids {
  private Uids() {}

  /** A new, globally unique UID (at most 44 characters). */
  public static String create() {
    final UUID u = UUID.randomUUID();
    final byte[] b =
        ByteBuffer.allocate(16)
            .putLong(u.getMostSignificantBits())
            .putLong(u.getLeastSignificantBits())
            .array();
    return "2.25." + new BigInteger(1, b);
  }
}
