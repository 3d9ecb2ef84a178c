package io.medsam.stream.app.pipeline;

import io.medsam.stream.ingest.IngestLimits;
import io.medsam.stream.ingest.ScanRoots;

/**
 * What the ingest and encoder workers of a pipeline take in: the folders ingest reads files from
 * and the size limits of scans and slices (the encoder's slice limit is ingest's).
 *
 * @param roots where file sources may be ({@code --scan-root})
 * @param limits pixels per slice, voxels per volume, bytes read per source
 */
public record ScanIntake(ScanRoots roots, IngestLimits limits) {

  /**
   * The intake of a one-command flow (demo, segment, eval, finetune-demo) and of tests: its
   * in-process ingest reads the files the command was given, wherever they are, as the command
   * itself could; default limits.
   */
  public static ScanIntake inProcess() {
    return new ScanIntake(ScanRoots.anywhere(), IngestLimits.defaults());
  }
}
