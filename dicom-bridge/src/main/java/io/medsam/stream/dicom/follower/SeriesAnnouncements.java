package io.medsam.stream.dicom.follower;

import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.dicom.orthanc.SeriesInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The ScanEvent that announces one stable Orthanc series. Only the series' SeriesInstanceUID,
 * Modality and Orthanc id go into it: patient attributes stay in Orthanc. Series of non-image
 * modalities (segmentations, such as the SEG objects this service stores back, structured reports,
 * RT objects, presentation states) are not announced.
 */
public final class SeriesAnnouncements {

  /** Modalities whose series hold no image to segment. */
  public static final Set<String> NON_IMAGE_MODALITIES =
      Set.of(
          "SEG",
          "SR",
          "RTSTRUCT",
          "RTPLAN",
          "RTRECORD",
          "RTDOSE",
          "PR",
          "KO",
          "DOC",
          "REG",
          "FID",
          "ECG",
          "HD",
          "AU",
          "PLAN",
          "RWV");

  private static final String UID = "[0-9]+(\\.[0-9]+)*";

  private SeriesAnnouncements() {}

  /**
   * The announcement of {@code series}, or empty when it is not an image series.
   *
   * @param server the Orthanc's configured name
   * @param changeSeq the StableSeries change's seq (part of the scan id)
   * @param series what Orthanc says of the series
   * @param now the request time
   */
  public static Optional<ScanEvent> of(
      final String server, final long changeSeq, final SeriesInfo series, final Instant now) {
    final String modality = series.modality().trim().toUpperCase(Locale.ROOT);
    if (NON_IMAGE_MODALITIES.contains(modality) || series.seriesInstanceUid().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        ScanEvent.newBuilder()
            .setScanId("orthanc-" + server + "-" + changeSeq)
            .setSeriesUid(seriesUid(series.seriesInstanceUid()))
            .setSourceUri("orthanc:" + server + "/series/" + series.id())
            .setSourceKind(SourceKind.DICOM_SERIES)
            .setModality(modality.isEmpty() ? "OT" : modality)
            .setAxes(List.of("axial"))
            .setCtWindowLow(null)
            .setCtWindowHigh(null)
            .setRequestedAt(now)
            .setSlices(null)
            .setOrthanc(
                OrthancSource.newBuilder().setServer(server).setSeriesId(series.id()).build())
            .build());
  }

  /**
   * The series key: the SeriesInstanceUID itself (what ingest gives the same series read from a
   * folder, so both share embeddings), or, for a value that is not a well-formed UID (a slash would
   * break slice keys), {@code series-} and 16 hex digits of its SHA-256. Never derived from a
   * patient attribute.
   */
  public static String seriesUid(final String seriesInstanceUid) {
    final String uid = seriesInstanceUid.trim();
    if (uid.length() <= 64 && uid.matches(UID)) {
      return uid;
    }
    try {
      final byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
      return "series-" + HexFormat.of().formatHex(hash).substring(0, 16);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
