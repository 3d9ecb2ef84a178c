package io.medsam.stream.imaging.dicom;

import java.util.Map;

/**
 * A DICOM transfer syntax, by UID, with its standard name. Only the two uncompressed little-endian
 * syntaxes are {@linkplain #supported() supported}.
 *
 * @param uid the transfer syntax UID
 * @param name its name from DICOM PS3.6 (or "unknown transfer syntax")
 * @param explicitVr whether value representations are written in the data set
 * @param supported whether this reader can decode it
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean supported) {

  /** Implicit VR Little Endian, the DICOM default. */
  public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true);

  /** Explicit VR Little Endian. */
  public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true);

  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry(
              "1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian"),
          Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
          Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
          Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
          Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)"),
          Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
          Map.entry(
              "1.2.840.10008.1.2.4.70",
              "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, SV1)"),
          Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
          Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
          Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
          Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
          Map.entry(
              "1.2.840.10008.1.2.4.92",
              "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
          Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
          Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
          Map.entry("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
          Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
          Map.entry("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile"),
          Map.entry("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
          Map.entry("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
          Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)"),
          Map.entry(
              "1.2.840.10008.1.2.4.202",
              "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)"),
          Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
          Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

  /** The transfer syntax with this UID (trailing NUL/space padding is ignored). */
  public static TransferSyntax of(final String rawUid) {
    final String uid = rawUid.replace("\0", "").trim();
    if (uid.equals(IMPLICIT_VR_LITTLE_ENDIAN.uid)) {
      return IMPLICIT_VR_LITTLE_ENDIAN;
    }
    if (uid.equals(EXPLICIT_VR_LITTLE_ENDIAN.uid)) {
      return EXPLICIT_VR_LITTLE_ENDIAN;
    }
    return new TransferSyntax(uid, NAMES.getOrDefault(uid, "unknown transfer syntax"), true, false);
  }

  /** "uid (name)", as used in error messages. */
  public String describe() {
    return uid + " (" + name + ")";
  }
}
