package io.medsam.stream.app.cli;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancException;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.dicom.seg.SegmentationSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --seg-out FILE} and {@code --seg-orthanc URL}: a command's masks as one DICOM Segmentation
 * object referencing the source series (dicom-bridge's {@link SegmentationSource}), written to a
 * file and/or stored in an Orthanc. Both are checked before anything is sent: the source must be
 * DICOM, the Orthanc must answer. Use with {@code @Mixin SegOutOptions seg;}.
 */
public final class SegOutOptions {
  private static final Duration ORTHANC_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--seg-out",
      paramLabel = "SEG.dcm",
      description =
          "also write the masks as one DICOM SEG (binary, one segment per target) referencing the"
              + " source series and the instances that carry masks; --image must be DICOM (a"
              + " series folder or a file): a NIfTI or PNG/JPEG has no UIDs to reference")
  private Path segOut;

  @Option(
      names = "--seg-orthanc",
      paramLabel = "URL",
      description =
          "also store that SEG in the Orthanc at URL (POST /instances, e.g."
              + " http://localhost:8042) and print its Orthanc instance id; with or without"
              + " --seg-out")
  private URI orthanc;

  /** A checked SEG destination: the DICOM source, and the Orthanc when one was named. */
  final class Destination {
    private final SegmentationSource source;
    private final OrthancClient client;

    private Destination(final SegmentationSource source, final OrthancClient client) {
      this.source = source;
      this.client = client;
    }

    /** The source whose instances the SEG references. */
    SegmentationSource source() {
      return source;
    }

    /**
     * Writes the SEG of {@code segments} to {@code --seg-out} and/or stores it in the Orthanc, and
     * says so on {@code out}.
     *
     * @param description SeriesDescription of the SEG
     * @param algorithmName SegmentAlgorithmName (model and decoder version)
     */
    void write(
        final List<Segment> segments,
        final String description,
        final String algorithmName,
        final PrintWriter out)
        throws IOException {
      final byte[] seg =
          source.write(
              segments, description, algorithmName, softwareVersion(), Clock.systemDefaultZone());
      final long frames =
          segments.stream().flatMap(s -> s.masks().stream()).filter(m -> m.area() > 0).count();
      final String what =
          String.format(
              Locale.ROOT,
              "DICOM SEG (%d segment%s, %d frame%s with a mask, referencing series %s)",
              segments.size(),
              segments.size() == 1 ? "" : "s",
              frames,
              frames == 1 ? "" : "s",
              source.series().seriesInstanceUid());
      if (segOut != null) {
        final Path parent = segOut.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.write(segOut, seg);
        out.printf("%s written to %s%n", what, segOut);
      }
      if (client != null) {
        final String id = client.storeInstance(seg);
        out.printf(
            "%s stored in Orthanc %s as instance %s%n",
            segOut == null ? what : "DICOM SEG", orthanc, id);
      }
      out.flush();
    }
  }

  /**
   * Checks what the options ask for before anything is sent.
   *
   * @param image the command's {@code --image}
   * @return the destination, or empty when neither option was given
   * @throws IllegalArgumentException when {@code image} is not DICOM (the message says why) or the
   *     URL is not http(s)
   * @throws IOException when the DICOM source cannot be read as one series, or the Orthanc does not
   *     answer
   */
  Optional<Destination> prepare(final Path image) throws IOException {
    if (segOut == null && orthanc == null) {
      return Optional.empty();
    }
    final String option = segOut != null ? "--seg-out" : "--seg-orthanc";
    if (segOut != null
        && Files.isDirectory(image)
        && image
            .toAbsolutePath()
            .normalize()
            .equals(segOut.toAbsolutePath().normalize().getParent())) {
      throw new IllegalArgumentException(
          "--seg-out "
              + segOut
              + " lies in the source series' folder, which would then hold two series (ingest"
              + " reads one series a folder): write it elsewhere");
    }
    final SegmentationSource source;
    try {
      source = SegmentationSource.read(image);
    } catch (final IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
    OrthancClient client = null;
    if (orthanc != null) {
      final String scheme = orthanc.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || orthanc.getHost() == null) {
        throw new IllegalArgumentException(
            "--seg-orthanc needs an http(s) URL such as http://localhost:8042, not " + orthanc);
      }
      client = new OrthancClient(orthanc, ORTHANC_TIMEOUT);
      try {
        client.version();
      } catch (final OrthancException e) {
        final Throwable cause = e.getCause();
        throw new IOException(
            "--seg-orthanc: the Orthanc at "
                + orthanc
                + " does not answer ("
                + e.getMessage()
                + (cause != null && cause.getMessage() == null
                    ? " " + cause.getClass().getSimpleName()
                    : "")
                + ")",
            e);
      }
    }
    return Optional.of(new Destination(source, client));
  }

  private static String softwareVersion() {
    final String v = Medsam.class.getPackage().getImplementationVersion();
    return "medsam " + (v == null ? "development build" : v);
  }
}
