/**
 * DICOM SEG of a series' masks, where the series has a DICOM source: a DICOM folder or file this
 * process can read, or a series of an Orthanc this process is configured with ({@code --orthanc}),
 * the only Orthancs read from or stored into. Built on dicom-bridge's {@code seg} and {@code
 * orthanc} packages; never on its {@code follower} (the bridge's worker).
 */
package io.medsam.stream.viewer.seg;
