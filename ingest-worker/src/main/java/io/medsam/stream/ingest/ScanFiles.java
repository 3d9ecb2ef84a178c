package io.medsam.stream.ingest;

import io.medsam.stream.imaging.Slice2D;
import io.medsam.stream.imaging.Volume;
import io.medsam.stream.imaging.dicom.DicomInstance;
import io.medsam.stream.imaging.dicom.DicomParser;
import io.medsam.stream.imaging.dicom.DicomReader;
import io.medsam.stream.imaging.dicom.DicomSeries;
import io.medsam.stream.imaging.nifti.NiftiDatatype;
import io.medsam.stream.imaging.nifti.NiftiHeader;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.imaging.raster.RasterReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a located file source within {@link IngestLimits}: sizes are checked before the large
 * allocation (a file's length before reading it, a NIfTI header's dimensions before its voxels, an
 * image header's before decoding it), and a gzip NIfTI is inflated only up to the size its header
 * announces, never past the source limit, so a gzip bomb costs at most that. Messages name the
 * source by its {@link ScanLocation#name()}, never by its path.
 */
final class ScanFiles {

  private static final int NIFTI_HEADER = 348;

  private ScanFiles() {}

  /** A NIfTI volume, header checked first, data read only as far as the header says. */
  static Volume nifti(final ScanLocation at, final IngestLimits limits)
      throws IOException, UnreadableScanException {
    final NiftiHeader header = NiftiReader.readHeader(at.real());
    final short[] dim = header.dim();
    final long nx = dim[1];
    final long ny = dim[2];
    final long nz = Math.max(1, (long) dim[3]);
    checkVolume(at, nx, ny, nz, limits);
    final long voxelBytes =
        NiftiDatatype.fromCode(header.datatypeCode()).map(NiftiDatatype::bytes).orElse(1);
    final long expected =
        Math.max(header.voxOffset(), NIFTI_HEADER + 4L) + nx * ny * nz * voxelBytes;
    if (expected > limits.maxSourceBytes()) {
      throw new ScanTooLargeException(
          at.name()
              + " holds "
              + expected
              + " bytes of NIfTI data, more than the limit of "
              + limits.maxSourceBytes()
              + " bytes read per source");
    }
    try (InputStream in = gunzipped(at.real())) {
      // never more than the header announces: the rest of a bomb stays compressed
      return NiftiReader.read(in.readNBytes((int) expected), at.name());
    }
  }

  /** A PNG or JPEG image, its size read from its header before it is decoded. */
  static Slice2D raster(final ScanLocation at, final IngestLimits limits)
      throws IOException, UnreadableScanException {
    final byte[] bytes = readWhole(at.real(), at, limits);
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      final Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (readers.hasNext()) {
        final ImageReader reader = readers.next();
        try {
          reader.setInput(in);
          checkSlice(at, reader.getHeight(0), reader.getWidth(0), limits);
        } finally {
          reader.dispose();
        }
      }
    }
    return RasterReader.read(bytes, at.name());
  }

  /** One DICOM file as a volume. */
  static Volume dicomFile(final ScanLocation at, final IngestLimits limits)
      throws IOException, UnreadableScanException {
    final DicomInstance instance = DicomReader.read(readWhole(at.real(), at, limits), at.name());
    final Volume volume = DicomSeries.assemble(List.of(instance), at.name());
    checkVolume(at, volume.nx(), volume.ny(), volume.nz(), limits);
    return volume;
  }

  /** The one series in a DICOM folder; its files together are held to the source limit. */
  static Volume dicomFolder(final ScanLocation at, final IngestLimits limits)
      throws IOException, UnreadableScanException {
    final List<Path> files;
    try (Stream<Path> s = Files.list(at.real())) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    long total = 0;
    for (final Path file : files) {
      total += Files.size(file);
    }
    if (total > limits.maxSourceBytes()) {
      throw tooManyBytes(at, total, limits);
    }
    final List<DicomInstance> instances = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      final Path file = files.get(i);
      final ScanLocation member = at.member(file, i);
      if (!looksLikeDicom(file)) {
        continue;
      }
      instances.add(DicomReader.read(Files.readAllBytes(file), member.name()));
    }
    if (instances.isEmpty()) {
      throw new UnreadableScanException(at.name() + " holds no DICOM files");
    }
    final long series = instances.stream().map(DicomInstance::seriesInstanceUid).distinct().count();
    if (series > 1) {
      throw new UnreadableScanException(at.name() + " holds " + series + " series, not one");
    }
    final Volume volume = DicomSeries.assemble(instances, at.name());
    checkVolume(at, volume.nx(), volume.ny(), volume.nz(), limits);
    return volume;
  }

  /** Refuses a volume past the voxel limit or with a plane past the slice limit. */
  static void checkVolume(
      final ScanLocation at, final long nx, final long ny, final long nz, final IngestLimits limits)
      throws UnreadableScanException {
    final String name = at == null ? "the volume" : at.name();
    if (nx < 1 || ny < 1 || nz < 1) {
      throw new UnreadableScanException(
          name + " has dimensions " + nx + "x" + ny + "x" + nz + "; each must be positive");
    }
    if (nx * ny * nz > limits.maxVolumeVoxels()) {
      throw new ScanTooLargeException(
          name
              + " is "
              + nx
              + "x"
              + ny
              + "x"
              + nz
              + " = "
              + nx * ny * nz
              + " voxels, more than the limit of "
              + limits.maxVolumeVoxels()
              + " voxels per volume");
    }
    final long largestPlane = Math.max(nx * ny, Math.max(nx * nz, ny * nz));
    if (largestPlane > limits.maxSlicePixels()) {
      throw new ScanTooLargeException(
          name
              + " is "
              + nx
              + "x"
              + ny
              + "x"
              + nz
              + ": a slice of it would have "
              + largestPlane
              + " pixels, more than the limit of "
              + limits.maxSlicePixels()
              + " pixels per slice");
    }
  }

  private static void checkSlice(
      final ScanLocation at, final long height, final long width, final IngestLimits limits)
      throws ScanTooLargeException {
    if (height * width > limits.maxSlicePixels()) {
      throw new ScanTooLargeException(
          at.name()
              + " is "
              + height
              + "x"
              + width
              + " = "
              + height * width
              + " pixels, more than the limit of "
              + limits.maxSlicePixels()
              + " pixels per slice");
    }
  }

  private static byte[] readWhole(final Path file, final ScanLocation at, final IngestLimits limits)
      throws IOException, UnreadableScanException {
    final long size = Files.size(file);
    if (size > limits.maxSourceBytes()) {
      throw tooManyBytes(at, size, limits);
    }
    return Files.readAllBytes(file);
  }

  private static ScanTooLargeException tooManyBytes(
      final ScanLocation at, final long size, final IngestLimits limits) {
    return new ScanTooLargeException(
        at.name()
            + " is "
            + size
            + " bytes, more than the limit of "
            + limits.maxSourceBytes()
            + " bytes read per source");
  }

  private static InputStream gunzipped(final Path file) throws IOException {
    final InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    final int b0 = in.read();
    final int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static boolean looksLikeDicom(final Path file) throws IOException {
    final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.equals("dicomdir")) {
      return false;
    }
    if (name.endsWith(".dcm") || name.endsWith(".dicom")) {
      return true;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return DicomParser.hasPart10Magic(in.readNBytes(132));
    }
  }
}
