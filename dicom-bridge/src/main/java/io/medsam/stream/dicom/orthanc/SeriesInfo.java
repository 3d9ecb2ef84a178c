package io.medsam.stream.dicom.orthanc;

import java.util.List;

/**
 * What Orthanc says of a series ({@code GET /series/{id}}) that the bridge needs: no patient
 * attribute.
 *
 * @param id Orthanc's identifier of the series
 * @param seriesInstanceUid its DICOM SeriesInstanceUID ("" when Orthanc has none)
 * @param modality its Modality ("" when absent)
 * @param instances the Orthanc ids of its instances, in Orthanc's order (not slice order)
 */
public record SeriesInfo(
    String id, String seriesInstanceUid, String modality, List<String> instances) {
  /** Copies the list. */
  public SeriesInfo {
    instances = List.copyOf(instances);
  }
}
