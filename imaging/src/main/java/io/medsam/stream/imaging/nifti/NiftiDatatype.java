package io.medsam.stream.imaging.nifti;

import java.nio.ByteBuffer;
import java.util.Optional;

/** The NIfTI-1 voxel datatypes this reader decodes, with their header codes. */
public enum NiftiDatatype {
  /** DT_UINT8. */
  UINT8(2, 1),
  /** DT_INT16. */
  INT16(4, 2),
  /** DT_INT32. */
  INT32(8, 4),
  /** DT_FLOAT32. */
  FLOAT32(16, 4),
  /** DT_FLOAT64. */
  FLOAT64(64, 8),
  /** DT_INT8. */
  INT8(256, 1),
  /** DT_UINT16. */
  UINT16(512, 2),
  /** DT_UINT32. */
  UINT32(768, 4);

  private final int code;
  private final int bytes;

  NiftiDatatype(final int code, final int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** The header's datatype code. */
  public int code() {
    return code;
  }

  /** Bytes per voxel. */
  public int bytes() {
    return bytes;
  }

  /** The supported datatype with this code, if any. */
  public static Optional<NiftiDatatype> fromCode(final int code) {
    for (final NiftiDatatype t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** A readable name for any NIfTI datatype code, for error messages. */
  public static String describe(final int code) {
    return switch (code) {
      case 0 -> "DT_UNKNOWN";
      case 1 -> "DT_BINARY";
      case 32 -> "DT_COMPLEX64";
      case 128 -> "DT_RGB24";
      case 1024 -> "DT_INT64";
      case 1280 -> "DT_UINT64";
      case 1536 -> "DT_FLOAT128";
      case 1792 -> "DT_COMPLEX128";
      case 2048 -> "DT_COMPLEX256";
      case 2304 -> "DT_RGBA32";
      default -> fromCode(code).map(t -> "DT_" + t.name()).orElse("unknown code");
    };
  }

  /** Reads the next voxel from the buffer (its byte order already set) as a float. */
  float read(final ByteBuffer in) {
    return switch (this) {
      case UINT8 -> in.get() & 0xff;
      case INT8 -> in.get();
      case INT16 -> in.getShort();
      case UINT16 -> in.getShort() & 0xffff;
      case INT32 -> in.getInt();
      case UINT32 -> in.getInt() & 0xffffffffL;
      case FLOAT32 -> in.getFloat();
      case FLOAT64 -> (float) in.getDouble();
    };
  }
}
