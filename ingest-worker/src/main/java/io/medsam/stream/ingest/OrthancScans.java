package io.medsam.stream.ingest;

import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancException;
import io.medsam.stream.dicom.orthanc.OrthancSeriesReader;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.orthanc.UndecodableInstanceException;
import io.medsam.stream.imaging.Volume;
import java.io.IOException;

/**
 * Reads the Orthanc series a ScanEvent names, from the Orthanc configured under that name ({@code
 * --orthanc}); the record's sourceUri is never followed. Instances come in slice order through
 * imaging's DICOM series assembly, compressed ones decoded by Orthanc ({@link
 * OrthancSeriesReader}).
 */
final class OrthancScans {

  private static final int MAX_NAME_IN_MESSAGE = 64;

  private final OrthancServers servers;

  /**
   * @param servers the Orthancs this worker may read from
   */
  OrthancScans(final OrthancServers servers) {
    this.servers = servers;
  }

  /**
   * The volume of the scan's Orthanc series.
   *
   * @throws UnreadableScanException for an Orthanc this worker is not configured with, a series
   *     Orthanc does not have, an instance in a syntax Orthanc cannot decode (named), or a series
   *     that is not one volume
   * @throws OrthancUnavailableException when the Orthanc does not answer
   */
  Volume read(final ScanEvent scan) throws UnreadableScanException, OrthancUnavailableException {
    final OrthancSource source = scan.getOrthanc();
    final String server = source.getServer();
    final OrthancClient client =
        servers
            .client(server)
            .orElseThrow(
                () ->
                    new UnreadableScanException(
                        "scan "
                            + scan.getScanId()
                            + " names Orthanc '"
                            + shortened(server)
                            + "', which this ingest worker is not configured with"
                            + (servers.isEmpty()
                                ? " (it has no --orthanc)"
                                : " (it reads " + String.join(", ", servers.names()) + ")")));
    try {
      return new OrthancSeriesReader(client, server).volume(source.getSeriesId());
    } catch (final UndecodableInstanceException e) {
      throw new UnreadableScanException("scan " + scan.getScanId() + ": " + e.getMessage(), e);
    } catch (final OrthancException e) {
      if (e.unreachable()) {
        throw new OrthancUnavailableException(
            "Orthanc '" + server + "' did not answer: " + e.getMessage(), e);
      }
      throw new UnreadableScanException(
          "scan "
              + scan.getScanId()
              + ": Orthanc series "
              + scan.getSourceUri()
              + ": "
              + e.getMessage(),
          e);
    } catch (final IOException e) {
      throw new UnreadableScanException(
          "Orthanc series "
              + scan.getSourceUri()
              + " is unreadable or unsupported: "
              + e.getMessage(),
          e);
    }
  }

  private static String shortened(final String name) {
    return name.length() <= MAX_NAME_IN_MESSAGE
        ? name
        : name.substring(0, MAX_NAME_IN_MESSAGE) + "...";
  }
}
