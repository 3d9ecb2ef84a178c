package io.medsam.stream.dicom.seg;

import io.medsam.stream.dicom.write.DicomElements;
import io.medsam.stream.dicom.write.Part10;
import io.medsam.stream.dicom.write.Uids;
import io.medsam.stream.imaging.mask.BinaryMask;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the masks of one series as a binary DICOM Segmentation object (PS3.3 A.51): one segment
 * per target, one frame per (segment, source image) whose mask is not empty, each frame referencing
 * its source image; Part-10, explicit VR little endian. Patient and study attributes are copied
 * from the source so that a DICOM server files the SEG with the source study.
 */
public final class SegmentationWriter {
  /** Segmentation Storage. */
  public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

  private final Clock clock;
  private final String softwareVersion;

  /**
   * @param clock the content and instance creation time
   * @param softwareVersion SoftwareVersions of the writing device
   */
  public SegmentationWriter(final Clock clock, final String softwareVersion) {
    this.clock = clock;
    this.softwareVersion = softwareVersion;
  }

  /** One frame: a segment's mask on one source image. */
  private record Frame(int segmentNumber, int imageIndex, BinaryMask mask) {}

  /**
   * The Part-10 bytes of the SEG object.
   *
   * @throws IllegalArgumentException when a segment's masks do not match the source's images
   */
  public byte[] write(
      final SourceSeries source, final List<Segment> segments, final SegmentationSeries series) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a segmentation needs at least one segment");
    }
    final List<Frame> frames = frames(source, segments);
    final DicomElements ds = new DicomElements();
    header(ds, source, series);
    segmentsModule(ds, segments, series);
    dimensions(ds);
    functionalGroups(ds, source, frames);
    referencedSeries(ds, source);
    ds.us(0x00280002, 1)
        .text(0x00280004, "CS", "MONOCHROME2")
        .is(0x00280008, frames.size())
        .us(0x00280010, source.rows())
        .us(0x00280011, source.columns())
        .us(0x00280100, 1)
        .us(0x00280101, 1)
        .us(0x00280102, 0)
        .us(0x00280103, 0)
        .text(0x00282110, "CS", "00")
        .bytes(0x7FE00010, "OB", packBits(frames));
    return Part10.file(ds, SEGMENTATION_STORAGE, series.sopInstanceUid());
  }

  private static List<Frame> frames(final SourceSeries source, final List<Segment> segments) {
    final List<Frame> frames = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      final List<BinaryMask> masks = segments.get(s).masks();
      if (masks.size() != source.images().size()) {
        throw new IllegalArgumentException(
            "segment "
                + (s + 1)
                + " has "
                + masks.size()
                + " masks for "
                + source.images().size()
                + " images");
      }
      for (int k = 0; k < masks.size(); k++) {
        final BinaryMask m = masks.get(k);
        if (m.height() != source.rows() || m.width() != source.columns()) {
          throw new IllegalArgumentException(
              "mask "
                  + m.height()
                  + "x"
                  + m.width()
                  + " on a "
                  + source.rows()
                  + "x"
                  + source.columns()
                  + " image");
        }
        if (m.area() > 0) {
          frames.add(new Frame(s + 1, k, m));
        }
      }
    }
    if (frames.isEmpty()) {
      // the IOD needs at least one frame: an empty frame of segment 1 on the first image
      frames.add(new Frame(1, 0, BinaryMask.empty(source.rows(), source.columns())));
    }
    return frames;
  }

  private void header(
      final DicomElements ds, final SourceSeries source, final SegmentationSeries series) {
    final LocalDateTime now = LocalDateTime.now(clock);
    final PatientStudy p = source.patientStudy();
    if (!p.specificCharacterSet().isEmpty()) {
      ds.text(0x00080005, "CS", p.specificCharacterSet().split("\\\\"));
    }
    ds.text(0x00080008, "CS", "DERIVED", "PRIMARY")
        .text(0x00080012, "DA", DATE.format(now))
        .text(0x00080013, "TM", TIME.format(now))
        .text(0x00080016, "UI", SEGMENTATION_STORAGE)
        .text(0x00080018, "UI", series.sopInstanceUid())
        .text(0x00080020, "DA", p.studyDate())
        .text(0x00080023, "DA", DATE.format(now))
        .text(0x00080030, "TM", p.studyTime())
        .text(0x00080033, "TM", TIME.format(now))
        .text(0x00080050, "SH", p.accessionNumber())
        .text(0x00080060, "CS", "SEG")
        .text(0x00080070, "LO", "MedSAM Stream")
        .text(0x00080090, "PN", p.referringPhysicianName())
        .text(0x0008103E, "LO", series.seriesDescription())
        .text(0x00081090, "LO", "MedSAM Stream")
        .text(0x00100010, "PN", p.patientName())
        .text(0x00100020, "LO", p.patientId())
        .text(0x00100030, "DA", p.patientBirthDate())
        .text(0x00100040, "CS", p.patientSex())
        .text(0x00181000, "LO", "1")
        .text(0x00181020, "LO", softwareVersion)
        .text(0x0020000D, "UI", source.studyInstanceUid())
        .text(0x0020000E, "UI", series.seriesInstanceUid())
        .text(0x00200010, "SH", p.studyId())
        .is(0x00200011, series.seriesNumber())
        .is(0x00200013, 1)
        .text(0x00200052, "UI", source.frameOfReferenceUid())
        .text(0x00201040, "LO", "")
        .text(0x00700080, "CS", "MEDSAM")
        .text(0x00700081, "LO", series.seriesDescription())
        .text(0x00700084, "PN", "");
  }

  private static void segmentsModule(
      final DicomElements ds, final List<Segment> segments, final SegmentationSeries series) {
    final List<DicomElements> items = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      final Segment seg = segments.get(s);
      items.add(
          new DicomElements()
              .sequence(0x00620003, seg.category().item())
              .us(0x00620004, s + 1)
              .text(0x00620005, "LO", seg.label())
              .text(0x00620008, "CS", "AUTOMATIC")
              .text(0x00620009, "LO", series.algorithmName())
              .sequence(0x0062000F, seg.type().item()));
    }
    ds.text(0x00620001, "CS", "BINARY").sequence(0x00620002, items);
  }

  /** Two dimensions: the segment, then the image position. */
  private static void dimensions(final DicomElements ds) {
    final String organization = Uids.create();
    ds.sequence(0x00209221, new DicomElements().text(0x00209164, "UI", organization));
    ds.sequence(
        0x00209222,
        new DicomElements()
            .text(0x00209164, "UI", organization)
            .at(0x00209165, 0x0062000B)
            .at(0x00209167, 0x0062000A)
            .text(0x00209421, "LO", "ReferencedSegmentNumber"),
        new DicomElements()
            .text(0x00209164, "UI", organization)
            .at(0x00209165, 0x00200032)
            .at(0x00209167, 0x00209113)
            .text(0x00209421, "LO", "ImagePositionPatient"));
  }

  private static void functionalGroups(
      final DicomElements ds, final SourceSeries source, final List<Frame> frames) {
    ds.sequence(
        0x52009229,
        new DicomElements()
            .sequence(0x00209116, new DicomElements().ds(0x00200037, source.imageOrientation()))
            .sequence(
                0x00289110,
                new DicomElements()
                    .ds(0x00180050, source.sliceThickness())
                    .ds(0x00280030, source.pixelSpacing())));
    final List<DicomElements> perFrame = new ArrayList<>();
    for (final Frame f : frames) {
      final SourceImage image = source.images().get(f.imageIndex());
      final DicomElements sourceImage =
          new DicomElements()
              .text(0x00081150, "UI", image.sopClassUid())
              .text(0x00081155, "UI", image.sopInstanceUid())
              .sequence(0x0040A170, Code.SOURCE_IMAGE_FOR_PROCESSING.item());
      perFrame.add(
          new DicomElements()
              .sequence(
                  0x00089124,
                  new DicomElements()
                      .sequence(0x00082112, sourceImage)
                      .sequence(0x00089215, Code.SEGMENTATION.item()))
              .sequence(
                  0x00209111,
                  new DicomElements().ul(0x00209157, f.segmentNumber(), f.imageIndex() + 1L))
              .sequence(0x00209113, new DicomElements().ds(0x00200032, image.imagePosition()))
              .sequence(0x0062000A, new DicomElements().us(0x0062000B, f.segmentNumber())));
    }
    ds.sequence(0x52009230, perFrame);
  }

  private static void referencedSeries(final DicomElements ds, final SourceSeries source) {
    final List<DicomElements> instances = new ArrayList<>();
    for (final SourceImage image : source.images()) {
      instances.add(
          new DicomElements()
              .text(0x00081150, "UI", image.sopClassUid())
              .text(0x00081155, "UI", image.sopInstanceUid()));
    }
    ds.sequence(
        0x00081115,
        new DicomElements()
            .sequence(0x0008114A, instances)
            .text(0x0020000E, "UI", source.seriesInstanceUid()));
  }

  /** Frames one after another, one bit per pixel, first pixel in the lowest bit (PS3.5 8.1.1). */
  static byte[] packBits(final List<Frame> frames) {
    long bits = 0;
    for (final Frame f : frames) {
      bits += f.mask().pixels().length;
    }
    final byte[] out = new byte[(int) ((bits + 7) / 8)];
    long n = 0;
    for (final Frame f : frames) {
      for (final boolean p : f.mask().pixels()) {
        if (p) {
          out[(int) (n >>> 3)] |= (byte) (1 << (n & 7));
        }
        n++;
      }
    }
    return out;
  }
}
