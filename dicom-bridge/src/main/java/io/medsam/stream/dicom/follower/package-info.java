/**
 * The Orthanc bridge, a worker of its own ({@code medsam run --role orthanc}): follows each
 * configured Orthanc's change feed and announces every stable image series as one ScanEvent, with
 * the feed position committed in the same Kafka transaction. It imports no other worker.
 */
package io.medsam.stream.dicom.follower;
