/**
 * Orthanc's REST API as the bridge and ingest use it: the configured Orthancs by name ({@code
 * OrthancServers}), the change feed, series and instances, reading a series with compressed
 * instances decoded by Orthanc ({@code OrthancSeriesReader}), storing a SEG back. One configured
 * base URL per client; no Kafka, no worker (ingest depends on this package, never on the bridge's
 * worker in {@code follower}).
 */
package io.medsam.stream.dicom.orthanc;
