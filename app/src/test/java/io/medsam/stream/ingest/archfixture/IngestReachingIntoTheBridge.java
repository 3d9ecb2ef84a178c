package io.medsam.stream.ingest.archfixture;

import io.medsam.stream.dicom.follower.OrthancFollower;
import io.medsam.stream.dicom.orthanc.OrthancServers;

/** A test-only class in a worker's package that uses another worker: the rule must catch it. */
public final class IngestReachingIntoTheBridge {
  private IngestReachingIntoTheBridge() {}

  /** The bridge's transactional id, asked of the other worker. */
  public static String bridgeId(final OrthancServers servers) {
    return OrthancFollower.transactionalId(servers);
  }
}
