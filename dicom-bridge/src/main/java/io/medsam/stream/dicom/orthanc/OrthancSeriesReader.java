package io.medsam.stream.dicom.orthanc;

import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomDataset;
import io.medsam.stream.imaging.dicom.DicomInstance;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.dicom.DicomReader;
import io.medsam.stream.imaging.dicom.DicomSeries;
import io.medsam.stream.imaging.dicom.TransferSyntax;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a series from one configured Orthanc over its REST API. Instances stored in Implicit or
 * Explicit VR Little Endian are fetched as stored; any other syntax is fetched decoded, through
 * {@link OrthancClient#transcodedInstanceFile} (Orthanc's GDCM plugin does JPEG 2000 and the like),
 * or, when what comes back is still encoded, refused with an {@link UndecodableInstanceException}
 * naming the syntax. The volume is assembled by imaging's {@link DicomSeries} (slices in position
 * order, as for a folder). Sources in messages read {@code orthanc:<name>/instances/<id>}: no file
 * name, no patient attribute.
 */
public final class OrthancSeriesReader {

  /** One instance's Part-10 file in a little-endian uncompressed syntax. */
  public record InstanceFile(String instanceId, String source, byte[] part10) {}

  private final OrthancClient client;
  private final String server;

  /**
   * @param client the configured Orthanc's client
   * @param server its configured name, for messages
   */
  public OrthancSeriesReader(final OrthancClient client, final String server) {
    this.client = client;
    this.server = server;
  }

  /** The series' volume: voxels in slice order, with its affine and Modality. */
  public Volume volume(final String seriesId) throws IOException {
    final List<DicomInstance> instances = new ArrayList<>();
    for (final InstanceFile f : files(seriesId)) {
      instances.add(DicomReader.read(f.part10(), f.source()));
    }
    return DicomSeries.assemble(instances, seriesSource(seriesId));
  }

  /** The series' data sets (e.g. to describe it as the source of a SEG), in Orthanc's order. */
  public List<DicomDataset> dataSets(final String seriesId) throws IOException {
    final List<DicomDataset> sets = new ArrayList<>();
    for (final InstanceFile f : files(seriesId)) {
      sets.add(DicomParser.parse(f.part10(), f.source()));
    }
    return sets;
  }

  /**
   * Every instance's file, decoded where needed, in Orthanc's order.
   *
   * @throws UndecodableInstanceException at the first instance Orthanc cannot decode
   * @throws ImageFormatException when the series has no instance
   */
  public List<InstanceFile> files(final String seriesId) throws IOException {
    final SeriesInfo series = client.series(seriesId);
    if (series.instances().isEmpty()) {
      throw new ImageFormatException(seriesSource(seriesId), "the series has no instance");
    }
    final List<InstanceFile> files = new ArrayList<>();
    for (final String id : series.instances()) {
      files.add(file(id));
    }
    return files;
  }

  /** One instance, decoded by Orthanc when stored in a syntax imaging does not read. */
  public InstanceFile file(final String instanceId) throws IOException {
    final String source = "orthanc:" + server + "/instances/" + instanceId;
    final String syntax = client.transferSyntax(instanceId).orElse(null);
    if (syntax == null || TransferSyntax.of(syntax).supported()) {
      return new InstanceFile(instanceId, source, client.instanceFile(instanceId));
    }
    final byte[] decoded;
    try {
      decoded = client.transcodedInstanceFile(instanceId, OrthancClient.EXPLICIT_VR_LITTLE_ENDIAN);
    } catch (final OrthancException e) {
      if (e.unreachable()) {
        throw e;
      }
      throw new UndecodableInstanceException(source, syntax, e);
    }
    try {
      DicomParser.parse(decoded, source); // Orthanc sends the stored file when it cannot decode it
    } catch (final ImageFormatException e) {
      throw new UndecodableInstanceException(source, syntax, e);
    }
    return new InstanceFile(instanceId, source, decoded);
  }

  private String seriesSource(final String seriesId) {
    return "orthanc:" + server + "/series/" + seriesId;
  }
}
