package io.medsam.stream.viewer.http;

import com.sun.net.httpserver.HttpExchange;
import io.medsam.stream.imaging.Affine;
import io.medsam.stream.imaging.ImageFormatException;
import io.medsam.stream.imaging.ScanMetadata;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.metrics.SliceStack;
import io.medsam.stream.imaging.metrics.VoxelGrid;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.nifti.NiftiWriter;
import io.medsam.stream.records.Masks;
import io.medsam.stream.viewer.state.SeriesCatalog;
import io.medsam.stream.viewer.state.SliceMasks;
import io.medsam.stream.viewer.state.StoredSlice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /api/export?series=S&axis=A}: the masks of a series along one axis as a NIfTI-1 label
 * volume (.nii.gz, uint8, 1 inside): each slice's latest correction, else its latest model mask,
 * stacked with the ingest's slicing convention (README "Conventions"). The grid is the series'
 * slices; the affine is the source file's when the scan came from a NIfTI file this process can
 * read, else the slices' spacing.
 */
final class MaskExport {

  private final SeriesCatalog catalog;
  private final SliceMasks masks;

  MaskExport(final SeriesCatalog catalog, final SliceMasks masks) {
    this.catalog = catalog;
    this.masks = masks;
  }

  void export(final HttpExchange ex) throws IOException, ApiException {
    final Map<String, String> q = Exchanges.query(ex);
    final String uid = Exchanges.required(q, "series");
    final String axisName = q.getOrDefault("axis", "axial");
    final SeriesCatalog.Series series =
        catalog.series(uid).orElseThrow(() -> new ApiException(404, "unknown series " + uid));
    final NavigableMap<Integer, StoredSlice> slices = series.axes().get(axisName);
    if (slices == null || slices.isEmpty()) {
      throw new ApiException(404, "series " + uid + " has no " + axisName + " slices");
    }
    final SliceAxis axis =
        axisName.equals("2d") ? SliceAxis.AXIAL : SliceAxis.fromWireName(axisName);
    final StoredSlice first = slices.firstEntry().getValue();
    final int h = first.height();
    final int w = first.width();
    final int n = slices.lastKey() + 1;
    final double along = spacingAlong(slices);
    final double rs = first.image().rowSpacing();
    final double cs = first.image().colSpacing();
    final VoxelGrid grid =
        switch (axis) {
          case AXIAL, TWO_D -> new VoxelGrid(w, h, n, cs, rs, along);
          case CORONAL -> new VoxelGrid(w, n, h, cs, along, rs);
          case SAGITTAL -> new VoxelGrid(n, w, h, along, cs, rs);
        };
    final boolean[] voxels = new boolean[grid.nx() * grid.ny() * grid.nz()];
    int withMask = 0;
    for (final StoredSlice s : slices.values()) {
      final var latest = masks.latest(s.sliceKey());
      if (latest.isEmpty()) {
        continue;
      }
      try {
        final BinaryMask m = Masks.toBinaryMask(latest.get().rle(), s.sliceKey());
        if (m.height() == h && m.width() == w) {
          SliceStack.put(voxels, grid, axis, s.index(), m);
          withMask++;
        }
      } catch (ImageFormatException e) {
        throw new ApiException(502, "malformed mask of " + s.sliceKey() + ": " + e.getMessage());
      }
    }
    if (withMask == 0) {
      throw new ApiException(404, "no masks yet on the " + axisName + " slices of " + uid);
    }
    final float[] values = new float[voxels.length];
    for (int i = 0; i < voxels.length; i++) {
      values[i] = voxels[i] ? 1f : 0f;
    }
    final String source = series.scan().map(e -> e.getSourceUri()).orElse("");
    final Volume volume =
        new Volume(
            values,
            grid.nx(),
            grid.ny(),
            grid.nz(),
            grid.dx(),
            grid.dy(),
            grid.dz(),
            affine(source, grid),
            new ScanMetadata("SEG", uid, source, "medsam viewer masks"));
    final ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(NiftiWriter.encode(volume, NiftiDatatype.UINT8, "medsam viewer " + axisName));
    }
    Exchanges.bytes(
        ex,
        200,
        "application/gzip",
        gz.toByteArray(),
        Map.of(
            "Content-Disposition",
            "attachment; filename=\"" + safe(uid) + "-" + axisName + "-masks.nii.gz\"",
            "X-Slices-With-Mask",
            String.valueOf(withMask)));
  }

  private static double spacingAlong(final NavigableMap<Integer, StoredSlice> slices) {
    if (slices.size() < 2) {
      return 1.0;
    }
    final var a = slices.firstEntry();
    final var b = slices.higherEntry(a.getKey());
    final double d =
        Math.abs(b.getValue().image().position() - a.getValue().image().position())
            / (b.getKey() - a.getKey());
    return d > 0 && Double.isFinite(d) ? d : 1.0;
  }

  private static Affine affine(final String source, final VoxelGrid grid) {
    final String name = source.toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      final Path p = Path.of(source);
      if (Files.isReadable(p)) {
        try {
          return NiftiReader.readHeader(p).affine();
        } catch (IOException | RuntimeException e) {
          // fall through to the spacing alone
        }
      }
    }
    return Affine.scaling(grid.dx(), grid.dy(), grid.dz());
  }

  private static String safe(final String uid) {
    return uid.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
