/**
 * Orthanc's REST API as the bridge uses it: the change feed, series and instances, storing a SEG
 * back. One configured base URL per client.
 */
package io.medsam.stream.dicom.orthanc;
