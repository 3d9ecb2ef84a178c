package io.medsam.stream.imaging.dicom;

import java.util.Map;

/** The DICOM attributes this reader uses, as (group &lt;&lt; 16 | element), with their VRs. */
public final class DicomTags {
  /** (0002,0010) Transfer Syntax UID. */
  public static final int TRANSFER_SYNTAX_UID = 0x00020010;

  /** (0008,0018) SOP Instance UID. */
  public static final int SOP_INSTANCE_UID = 0x00080018;

  /** (0008,0060) Modality. */
  public static final int MODALITY = 0x00080060;

  /** (0008,103E) Series Description. */
  public static final int SERIES_DESCRIPTION = 0x0008103E;

  /** (0018,0050) Slice Thickness. */
  public static final int SLICE_THICKNESS = 0x00180050;

  /** (0018,0088) Spacing Between Slices. */
  public static final int SPACING_BETWEEN_SLICES = 0x00180088;

  /** (0020,000E) Series Instance UID. */
  public static final int SERIES_INSTANCE_UID = 0x0020000E;

  /** (0020,0013) Instance Number. */
  public static final int INSTANCE_NUMBER = 0x00200013;

  /** (0020,0032) Image Position (Patient). */
  public static final int IMAGE_POSITION_PATIENT = 0x00200032;

  /** (0020,0037) Image Orientation (Patient). */
  public static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;

  /** (0020,1041) Slice Location. */
  public static final int SLICE_LOCATION = 0x00201041;

  /** (0028,0002) Samples per Pixel. */
  public static final int SAMPLES_PER_PIXEL = 0x00280002;

  /** (0028,0006) Planar Configuration. */
  public static final int PLANAR_CONFIGURATION = 0x00280006;

  /** (0028,0008) Number of Frames. */
  public static final int NUMBER_OF_FRAMES = 0x00280008;

  /** (0028,0010) Rows. */
  public static final int ROWS = 0x00280010;

  /** (0028,0011) Columns. */
  public static final int COLUMNS = 0x00280011;

  /** (0028,0030) Pixel Spacing (row spacing, column spacing). */
  public static final int PIXEL_SPACING = 0x00280030;

  /** (0028,0100) Bits Allocated. */
  public static final int BITS_ALLOCATED = 0x00280100;

  /** (0028,0101) Bits Stored. */
  public static final int BITS_STORED = 0x00280101;

  /** (0028,0103) Pixel Representation (0 unsigned, 1 two's complement). */
  public static final int PIXEL_REPRESENTATION = 0x00280103;

  /** (0028,1052) Rescale Intercept. */
  public static final int RESCALE_INTERCEPT = 0x00281052;

  /** (0028,1053) Rescale Slope. */
  public static final int RESCALE_SLOPE = 0x00281053;

  /** (7FE0,0010) Pixel Data. */
  public static final int PIXEL_DATA = 0x7FE00010;

  /** (FFFE,E000) Item. */
  static final int ITEM = 0xFFFEE000;

  /** (FFFE,E00D) Item Delimitation Item. */
  static final int ITEM_DELIMITATION = 0xFFFEE00D;

  /** (FFFE,E0DD) Sequence Delimitation Item. */
  static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

  /** VRs of the used tags, for implicit-VR data sets (everything else is treated as "UN"). */
  private static final Map<Integer, String> IMPLICIT_VR =
      Map.ofEntries(
          Map.entry(TRANSFER_SYNTAX_UID, "UI"),
          Map.entry(SOP_INSTANCE_UID, "UI"),
          Map.entry(MODALITY, "CS"),
          Map.entry(SERIES_DESCRIPTION, "LO"),
          Map.entry(SLICE_THICKNESS, "DS"),
          Map.entry(SPACING_BETWEEN_SLICES, "DS"),
          Map.entry(SERIES_INSTANCE_UID, "UI"),
          Map.entry(INSTANCE_NUMBER, "IS"),
          Map.entry(IMAGE_POSITION_PATIENT, "DS"),
          Map.entry(IMAGE_ORIENTATION_PATIENT, "DS"),
          Map.entry(SLICE_LOCATION, "DS"),
          Map.entry(SAMPLES_PER_PIXEL, "US"),
          Map.entry(PLANAR_CONFIGURATION, "US"),
          Map.entry(NUMBER_OF_FRAMES, "IS"),
          Map.entry(ROWS, "US"),
          Map.entry(COLUMNS, "US"),
          Map.entry(PIXEL_SPACING, "DS"),
          Map.entry(BITS_ALLOCATED, "US"),
          Map.entry(BITS_STORED, "US"),
          Map.entry(PIXEL_REPRESENTATION, "US"),
          Map.entry(RESCALE_INTERCEPT, "DS"),
          Map.entry(RESCALE_SLOPE, "DS"),
          Map.entry(PIXEL_DATA, "OW"));

  private DicomTags() {}

  /** The VR to assume for {@code tag} in an implicit-VR data set. */
  static String implicitVr(final int tag) {
    return IMPLICIT_VR.getOrDefault(tag, "UN");
  }

  /** "(gggg,eeee)". */
  public static String format(final int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
  }
}
