"""Prints a DICOM SEG's frames as pydicom reads them, one line per frame:
<ReferencedSegmentNumber> <ReferencedSOPInstanceUID> <rows>x<cols> <pixels as 0/1, row-major>.
The first line is "segments <n> <label> ..." (labels without spaces)."""

import sys

import pydicom

ds = pydicom.dcmread(sys.argv[1])
assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.4", ds.SOPClassUID
frames = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
print("segments", len(ds.SegmentSequence), *[s.SegmentLabel for s in ds.SegmentSequence])
for n, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
    segment = item.SegmentIdentificationSequence[0].ReferencedSegmentNumber
    source = item.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
    bits = "".join(str(int(v)) for v in frames[n].ravel())
    print(segment, source, f"{ds.Rows}x{ds.Columns}", bits)
