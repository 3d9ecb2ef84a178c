package io.medsam.stream.dicom.orthanc;

/**
 * One entry of Orthanc's change feed ({@code GET /changes}).
 *
 * @param seq its sequence number (the feed position after it)
 * @param changeType e.g. {@code StableSeries}, {@code NewInstance}
 * @param resourceType {@code Patient}, {@code Study}, {@code Series} or {@code Instance}
 * @param id Orthanc's identifier of the resource
 */
public record Change(long seq, String changeType, String resourceType, String id) {
  /** Whether this change says a series received no new instance for Orthanc's StableAge. */
  public boolean isStableSeries() {
    return "StableSeries".equals(changeType);
  }
}
