package io.medsam.stream.imaging.testing;

/** uint8 pixels written as ints in tests, and read back as ints. */
public final class UnsignedBytes {

  private UnsignedBytes() {}

  /** Values 0..255 as bytes. */
  public static byte[] of(final int... v) {
    final byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  /** Bytes as their unsigned values. */
  public static int[] values(final byte[] b) {
    final int[] v = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      v[i] = b[i] & 0xff;
    }
    return v;
  }
}
