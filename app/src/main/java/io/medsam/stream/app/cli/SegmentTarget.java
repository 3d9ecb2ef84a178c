package io.medsam.stream.app.cli;

import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.preprocess.InvalidBoxException;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.imaging.preprocess.SliceGeometry;
import io.medsam.stream.imaging.preprocess.VolumeSlicer;
import io.medsam.stream.imaging.raster.RasterReader;
import io.medsam.stream.imaging.scan.ScanReader;
import io.medsam.stream.ingest.ScanSources;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one slice {@code segment} asks for, resolved and checked before anything is published: a
 * PNG/JPEG and a one-slice volume are {@code 2d:0} (a one-slice volume also takes {@code axial:0});
 * a volume defaults to its middle axial slice.
 *
 * @param axis the slice's axis
 * @param index the slice's index on that axis
 * @param height the slice's height in pixels
 * @param width the slice's width in pixels
 */
record SegmentTarget(SliceAxis axis, int index, int height, int width) {

  /**
   * Resolves {@code slice} (AXIS:INDEX, or null for the default) on {@code image}.
   *
   * @throws IllegalArgumentException naming the problem: a malformed or out-of-range slice, a
   *     {@code 2d} slice of a multi-slice volume, an anatomical axis on a 2D image
   */
  static SegmentTarget resolve(final Path image, final String slice) throws IOException {
    final SliceAxis askedAxis = slice == null ? null : SliceAxis.fromWireName(part(slice, 0));
    final int askedIndex = slice == null ? 0 : index(slice);
    if (ScanSources.detect(image) == SourceKind.IMAGE_2D) {
      if (slice != null && (askedAxis != SliceAxis.TWO_D || askedIndex != 0)) {
        throw new IllegalArgumentException(
            image + " is a 2D image: its only slice is 2d:0 (omit --slice), not " + slice);
      }
      final Slice2D raster = RasterReader.read(image);
      return new SegmentTarget(SliceAxis.TWO_D, 0, raster.height(), raster.width());
    }
    final Volume volume = ScanReader.readVolume(image);
    if (askedAxis == null || askedAxis == SliceAxis.TWO_D) {
      if (volume.nz() == 1) {
        checkRange(askedIndex, 1, "2d", image);
        final SliceGeometry g = VolumeSlicer.geometry(volume, SliceAxis.AXIAL, 0);
        return new SegmentTarget(SliceAxis.TWO_D, 0, g.height(), g.width());
      }
      if (askedAxis == SliceAxis.TWO_D) {
        throw new IllegalArgumentException(
            image
                + " is a volume of "
                + volume.nz()
                + " axial slices, not one 2D image: ask for --slice axial:K, coronal:K or"
                + " sagittal:K");
      }
      return at(volume, SliceAxis.AXIAL, volume.nz() / 2);
    }
    checkRange(askedIndex, VolumeSlicer.sliceCount(volume, askedAxis), askedAxis.wireName(), image);
    return at(volume, askedAxis, askedIndex);
  }

  /** Checks that {@code box} lies inside this slice. */
  PixelBox check(final PixelBox box) {
    try {
      return box.validate(height, width, "--box on slice " + axis.wireName() + ":" + index);
    } catch (InvalidBoxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The axis name ingest slices along ({@code 2d} for a 2D image or a one-slice volume). */
  String ingestAxis() {
    return axis.wireName();
  }

  private static SegmentTarget at(final Volume volume, final SliceAxis axis, final int index) {
    final SliceGeometry g = VolumeSlicer.geometry(volume, axis, index);
    return new SegmentTarget(axis, index, g.height(), g.width());
  }

  private static void checkRange(
      final int index, final int count, final String axis, final Path image) {
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "--slice "
              + axis
              + ":"
              + index
              + " is out of range: "
              + image
              + " has "
              + count
              + " "
              + axis
              + " slice"
              + (count == 1 ? "" : "s")
              + " (0.."
              + (count - 1)
              + ")");
    }
  }

  private static int index(final String slice) {
    try {
      return Integer.parseInt(part(slice, 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--slice needs AXIS:INDEX, e.g. axial:80, not " + slice);
    }
  }

  private static String part(final String slice, final int i) {
    final String[] parts = slice.split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--slice needs AXIS:INDEX, e.g. axial:80, not " + slice);
    }
    return parts[i];
  }
}
