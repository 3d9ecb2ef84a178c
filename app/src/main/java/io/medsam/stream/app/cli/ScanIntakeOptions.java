package io.medsam.stream.app.cli;

import io.medsam.stream.app.pipeline.ScanIntake;
import io.medsam.stream.ingest.IngestLimits;
import io.medsam.stream.ingest.ScanRoots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Where {@code medsam run}'s ingest reads files and how large a scan it takes (README "Scan roots",
 * "Poison pills and limits"). Without {@code --scan-root}: on the embedded broker (one machine,
 * listening on localhost only) ingest reads any file this process can, as the user running it
 * could; against an external cluster it reads no file at all (Orthanc series only), since anyone
 * who can write medsam.scans.v1 could otherwise have it read any file on this host. Use with
 * {@code @Mixin ScanIntakeOptions scans;}.
 */
public final class ScanIntakeOptions {

  @Option(
      names = "--scan-root",
      paramLabel = "DIR",
      description =
          "ingest reads files only under DIR (repeatable; paths that leave it through .. or "
              + "links are refused). Default: anywhere on the embedded broker, no file with "
              + "--bootstrap-servers")
  private List<Path> roots = new ArrayList<>();

  @Option(
      names = "--max-slice-pixels",
      paramLabel = "N",
      description =
          "ingest and encoder: largest slice, height x width (default: 16777216 = 4096^2)")
  private Long maxSlicePixels;

  @Option(
      names = "--max-volume-voxels",
      paramLabel = "N",
      description = "ingest: largest volume in voxels (default: the heap / 20, at most 2^31 - 17)")
  private Long maxVolumeVoxels;

  @Option(
      names = "--max-source-bytes",
      paramLabel = "N",
      description =
          "ingest: most bytes read or decompressed from one source (default: the heap / 4, at "
              + "most 2^31 - 17)")
  private Long maxSourceBytes;

  /**
   * The intake these options describe.
   *
   * @param embedded whether the workers run on the embedded broker
   * @param notices told where ingest reads files from when no root is given
   * @throws IOException when a root is not a folder
   */
  public ScanIntake intake(final boolean embedded, final Consumer<String> notices)
      throws IOException {
    IngestLimits limits = IngestLimits.defaults();
    if (maxSlicePixels != null) {
      limits = limits.withMaxSlicePixels(maxSlicePixels);
    }
    if (maxVolumeVoxels != null) {
      limits = limits.withMaxVolumeVoxels(maxVolumeVoxels);
    }
    if (maxSourceBytes != null) {
      limits = limits.withMaxSourceBytes(maxSourceBytes);
    }
    if (!roots.isEmpty()) {
      return new ScanIntake(ScanRoots.of(roots), limits);
    }
    if (embedded) {
      notices.accept(
          "no --scan-root: ingest reads files anywhere this process can (embedded broker only)");
      return new ScanIntake(ScanRoots.anywhere(), limits);
    }
    notices.accept("no --scan-root: ingest reads no files, only Orthanc series");
    return new ScanIntake(ScanRoots.none(), limits);
  }
}
