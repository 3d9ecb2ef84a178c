package io.medsam.stream.ingest;

import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.dicom.orthanc.OrthancServers;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.preprocess.IntensityWindow;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a ScanEvent's source and cuts it into normalized 8-bit ImageSlices (docs/architecture.md
 * §3): volumes (NIfTI, DICOM file, DICOM series folder) are windowed once for the whole volume (CT:
 * the event's window, default [-500, 1000] HU; other modalities: 0.5–99.5 percentile of the
 * positive voxels) and sliced along each requested axis with the team's slicing convention.
 * PNG/JPEG images are already 8-bit and are passed through unchanged (grey or RGB) as slice {@code
 * 2d/0}. An event's {@code slices} narrows each axis to those indices, in that order. A scan with
 * an Orthanc source is read from that Orthanc ({@link OrthancScans}), never from its sourceUri.
 */
final class ScanSlicer {

  private final OrthancScans orthancScans;
  private final ScanRoots roots;
  private final IngestLimits limits;

  /** A slicer that reads no Orthanc, any file, within the default limits (tests). */
  ScanSlicer() {
    this(new OrthancScans(OrthancServers.none()), ScanRoots.anywhere(), IngestLimits.defaults());
  }

  /**
   * @param orthancScans the configured Orthancs' series
   * @param roots where file sources may be
   * @param limits how large a scan may be
   */
  ScanSlicer(final OrthancScans orthancScans, final ScanRoots roots, final IngestLimits limits) {
    this.orthancScans = orthancScans;
    this.roots = roots;
    this.limits = limits;
  }

  /**
   * The slices of {@code scan}, in axis order then index order.
   *
   * @throws OrthancUnavailableException when the scan's Orthanc does not answer (worth retrying)
   */
  List<ImageSlice> slice(final ScanEvent scan)
      throws UnreadableScanException, OrthancUnavailableException {
    if (scan.getOrthanc() != null) {
      try {
        return sliceVolume(scan, orthancScans.read(scan));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new UnreadableScanException(
            "Orthanc series " + scan.getSourceUri() + " is inconsistent: " + e.getMessage(), e);
      }
    }
    final ScanLocation at = roots.locate(scan.getSourceUri());
    try {
      return switch (scan.getSourceKind()) {
        case IMAGE_2D -> {
          indices(scan, SliceAxis.TWO_D, 1); // a 2D image has slice 0 only; refuse any other
          yield List.of(
              toRecord(
                  scan, SliceAxis.TWO_D, 0, ScanFiles.raster(at, limits), modality(scan, null)));
        }
        case NIFTI -> sliceVolume(scan, ScanFiles.nifti(at, limits));
        case DICOM_FILE -> sliceVolume(scan, ScanFiles.dicomFile(at, limits));
        case DICOM_SERIES -> sliceVolume(scan, ScanFiles.dicomFolder(at, limits));
      };
    } catch (ScanTooLargeException e) {
      throw new ScanTooLargeException(at.scrub(e.getMessage()));
    } catch (UnreadableScanException e) {
      throw new UnreadableScanException(at.scrub(e.getMessage())); // no cause: it may hold paths
    } catch (IOException e) {
      throw new UnreadableScanException(
          scan.getSourceKind()
              + " source "
              + at.name()
              + " is unreadable or unsupported: "
              + e.getClass().getSimpleName()
              + ": "
              + at.scrub(e.getMessage()));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new UnreadableScanException(
          scan.getSourceKind()
              + " source "
              + at.name()
              + " is inconsistent: "
              + at.scrub(e.getMessage()));
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      throw new UnreadableScanException(
          scan.getSourceKind()
              + " source "
              + at.name()
              + " failed to read: "
              + e.getClass().getName()
              + ": "
              + at.scrub(e.getMessage()));
    }
  }

  private List<ImageSlice> sliceVolume(final ScanEvent scan, final Volume volume)
      throws UnreadableScanException {
    ScanFiles.checkVolume(null, volume.nx(), volume.ny(), volume.nz(), limits);
    final String modality = modality(scan, volume.metadata().modality());
    final IntensityWindow window = window(scan, volume, modality);
    final List<ImageSlice> out = new ArrayList<>();
    for (final SliceAxis axis : axes(scan)) {
      if (axis == SliceAxis.TWO_D) {
        if (volume.nz() != 1) {
          throw new UnreadableScanException(
              "scan " + scan.getScanId() + " has " + volume.nz() + " slices; '2d' needs one image");
        }
        indices(scan, axis, 1);
        out.add(
            toRecord(
                scan, axis, 0, VolumeSlicer.slice(volume, SliceAxis.AXIAL, 0, window), modality));
        continue;
      }
      final int count = VolumeSlicer.sliceCount(volume, axis);
      for (final int index : indices(scan, axis, count)) {
        out.add(
            toRecord(scan, axis, index, VolumeSlicer.slice(volume, axis, index, window), modality));
      }
    }
    return out;
  }

  /** The event's requested indices on {@code axis} (in the order given), or every index. */
  private static List<Integer> indices(final ScanEvent scan, final SliceAxis axis, final int count)
      throws UnreadableScanException {
    if (scan.getSlices() == null) {
      return java.util.stream.IntStream.range(0, count).boxed().toList();
    }
    for (final int index : scan.getSlices()) {
      if (index < 0 || index >= count) {
        throw new UnreadableScanException(
            "scan "
                + scan.getScanId()
                + " asks for "
                + axis.wireName()
                + " slice "
                + index
                + ", but it has "
                + count
                + " "
                + axis.wireName()
                + " slices (0.."
                + (count - 1)
                + ")");
      }
    }
    return scan.getSlices();
  }

  private static IntensityWindow window(
      final ScanEvent scan, final Volume volume, final String modality) {
    if ("CT".equals(modality)) {
      final double low =
          scan.getCtWindowLow() == null ? IntensityWindow.CT_LOWER_HU : scan.getCtWindowLow();
      final double high =
          scan.getCtWindowHigh() == null ? IntensityWindow.CT_UPPER_HU : scan.getCtWindowHigh();
      return IntensityWindow.ct(low, high);
    }
    return IntensityWindow.percentileOfPositive(volume.voxels(), 0.5, 99.5);
  }

  /** The event's modality, unless it is unknown ("OT" or blank) and the file records one. */
  private static String modality(final ScanEvent scan, final String fromFile) {
    final String requested = scan.getModality().trim().toUpperCase(Locale.ROOT);
    if ((requested.isEmpty() || "OT".equals(requested)) && fromFile != null) {
      return fromFile.trim().toUpperCase(Locale.ROOT);
    }
    return requested.isEmpty() ? "OT" : requested;
  }

  private static List<SliceAxis> axes(final ScanEvent scan) throws UnreadableScanException {
    if (scan.getAxes().isEmpty()) {
      return List.of(SliceAxis.AXIAL);
    }
    final List<SliceAxis> axes = new ArrayList<>();
    for (final String name : scan.getAxes()) {
      try {
        axes.add(SliceAxis.fromWireName(name));
      } catch (IllegalArgumentException e) {
        throw new UnreadableScanException("scan " + scan.getScanId() + ": " + e.getMessage(), e);
      }
    }
    return axes;
  }

  private static ImageSlice toRecord(
      final ScanEvent scan,
      final SliceAxis axis,
      final int index,
      final Slice2D slice,
      final String modality) {
    return ImageSlice.newBuilder()
        .setSliceKey(axis.sliceKey(scan.getSeriesUid(), index))
        .setSeriesUid(scan.getSeriesUid())
        .setAxis(axis.wireName())
        .setIndex(index)
        .setHeight(slice.height())
        .setWidth(slice.width())
        .setChannels(slice.channels())
        .setPixels(ByteBuffer.wrap(slice.pixels()))
        .setPixelSpacingRow(slice.rowSpacing())
        .setPixelSpacingCol(slice.colSpacing())
        .setSlicePosition(slice.position())
        .setModality(modality)
        .setSourceUri(scan.getOrthanc() != null ? scan.getSourceUri() : "scan:" + scan.getScanId())
        .setScanId(scan.getScanId())
        .setCreatedAt(Instant.now())
        .build();
  }
}
