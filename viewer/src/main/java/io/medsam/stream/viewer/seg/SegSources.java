package io.medsam.stream.viewer.seg;

import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancSeriesReader;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.dicom.seg.SegmentationSource;
import io.medsam.stream.dicom.seg.SourceSeriesReader;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomInstance;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.dicom.DicomReader;
import io.medsam.stream.imaging.dicom.DicomSeries;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DICOM source of a series' SEG, from its ScanEvent: the DICOM folder or file the event names
 * (read from this process' file system, as the NIfTI download reads a NIfTI source's header), or
 * the Orthanc series it names, read from the Orthanc configured under that name and from no other
 * (a record never gives the viewer a URL). A source is kept for the last few series asked for: it
 * holds UIDs and the grid only, and an Orthanc series is read instance by instance.
 */
public final class SegSources {

  private static final int KEPT = 8;

  private final OrthancServers servers;
  private final Map<String, SegmentationSource> kept =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, SegmentationSource> eldest) {
          return size() > KEPT;
        }
      };

  /**
   * @param servers the Orthancs this process is configured with
   */
  public SegSources(final OrthancServers servers) {
    this.servers = servers;
  }

  /**
   * Why no SEG can be made of {@code scan}'s series, in words the page shows; empty when one can
   * (the files or the Orthanc may still fail when asked).
   */
  public Optional<String> whyNoSeg(final ScanEvent scan) {
    final OrthancSource orthanc = scan.getOrthanc();
    if (orthanc != null) {
      return servers.client(orthanc.getServer()).isPresent()
          ? Optional.empty()
          : Optional.of(
              "the series is in Orthanc '"
                  + orthanc.getServer()
                  + "', which this viewer is not configured with (--orthanc)");
    }
    return switch (scan.getSourceKind()) {
      case NIFTI ->
          Optional.of("a NIfTI source has no DICOM UIDs for a SEG to reference: use NIfTI");
      case IMAGE_2D ->
          Optional.of("a PNG/JPEG source has no DICOM UIDs for a SEG to reference: use NIfTI");
      case DICOM_FILE, DICOM_SERIES -> {
        final Optional<Path> path = path(scan.getSourceUri());
        yield path.isPresent() && Files.isReadable(path.get())
            ? Optional.empty()
            : Optional.of("the DICOM source " + scan.getSourceUri() + " is not readable here");
      }
    };
  }

  /**
   * Why the series' SEG cannot be stored back into Orthanc; empty when it came from a configured
   * Orthanc, which is where it would go.
   */
  public Optional<String> whyNoStore(final ScanEvent scan) {
    if (scan.getOrthanc() == null) {
      return Optional.of("the series did not come from an Orthanc");
    }
    return whyNoSeg(scan);
  }

  /**
   * The series' SEG source.
   *
   * @throws IllegalArgumentException when {@link #whyNoSeg} gives a reason
   * @throws IOException when its files or instances cannot be read, lack what a SEG needs or do not
   *     form one series (an {@code OrthancException} when the Orthanc fails)
   */
  public SegmentationSource source(final ScanEvent scan) throws IOException {
    final Optional<String> why = whyNoSeg(scan);
    if (why.isPresent()) {
      throw new IllegalArgumentException(why.get());
    }
    final String key = scan.getScanId() + "|" + scan.getSeriesUid();
    synchronized (kept) {
      final SegmentationSource known = kept.get(key);
      if (known != null) {
        return known;
      }
    }
    final SegmentationSource read =
        scan.getOrthanc() != null
            ? fromOrthanc(scan.getOrthanc())
            : SegmentationSource.read(path(scan.getSourceUri()).orElseThrow());
    synchronized (kept) {
      kept.put(key, read);
    }
    return read;
  }

  /**
   * Stores {@code part10} into the Orthanc the series came from.
   *
   * @return Orthanc's id of the new instance
   * @throws IllegalArgumentException when {@link #whyNoStore} gives a reason
   */
  public StoredSeg store(final ScanEvent scan, final byte[] part10) throws IOException {
    final Optional<String> why = whyNoStore(scan);
    if (why.isPresent()) {
      throw new IllegalArgumentException(why.get());
    }
    final String server = scan.getOrthanc().getServer();
    final OrthancClient client = servers.client(server).orElseThrow();
    return new StoredSeg(server, client.storeInstance(part10));
  }

  /**
   * A SEG stored in an Orthanc.
   *
   * @param server the Orthanc's configured name
   * @param instanceId Orthanc's id of the SEG instance
   */
  public record StoredSeg(String server, String instanceId) {}

  private SegmentationSource fromOrthanc(final OrthancSource orthanc) throws IOException {
    final String server = orthanc.getServer();
    final OrthancSeriesReader reader =
        new OrthancSeriesReader(servers.client(server).orElseThrow(), server);
    final String where = "orthanc:" + server + "/series/" + orthanc.getSeriesId();
    final List<DicomInstance> instances = new ArrayList<>();
    final List<DicomDataset> sets = new ArrayList<>();
    // one read of each instance for both descriptions: ingest's volume (slice k) and the UIDs
    for (final OrthancSeriesReader.InstanceFile f : reader.files(orthanc.getSeriesId())) {
      instances.add(DicomReader.read(f.part10(), f.source()));
      sets.add(DicomParser.parse(f.part10(), f.source()));
    }
    return SegmentationSource.of(
        SourceSeriesReader.fromDataSets(sets, where), DicomSeries.assemble(instances, where));
  }

  private static Optional<Path> path(final String sourceUri) {
    try {
      return Optional.of(
          sourceUri.startsWith("file:") ? Path.of(URI.create(sourceUri)) : Path.of(sourceUri));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
