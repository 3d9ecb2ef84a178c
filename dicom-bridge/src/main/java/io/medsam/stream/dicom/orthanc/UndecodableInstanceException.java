package io.medsam.stream.dicom.orthanc;

import io.medsam.stream.imaging.dicom.TransferSyntax;
import java.io.IOException;

/**
 * An instance stored in a transfer syntax that Orthanc could not decode (no plugin for it): the
 * message names the syntax, the instance and the series, never a patient attribute.
 */
public class UndecodableInstanceException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String transferSyntax;

  /**
   * @param where the instance, e.g. {@code orthanc:pacs/instances/ID}
   * @param transferSyntax the stored syntax's UID
   * @param cause what showed it: Orthanc's refusal, or the file it sent back still encoded
   */
  public UndecodableInstanceException(
      final String where, final String transferSyntax, final Exception cause) {
    super(
        where
            + " is stored in transfer syntax "
            + TransferSyntax.of(transferSyntax).describe()
            + ", which Orthanc could not decode to Explicit VR Little Endian ("
            + cause.getMessage()
            + "; orthanc-gdcm decodes JPEG 2000, JPEG-LS and RLE)",
        cause);
    this.transferSyntax = transferSyntax;
  }

  /** The UID of the syntax Orthanc could not decode. */
  public String transferSyntax() {
    return transferSyntax;
  }
}
