"""The demo's data split on MRIcron's ch2 (T1) + aal (116 labels): held-out regions, the
held-out slab, and box prompts from ground-truth components (docs/architecture.md §3)."""

from dataclasses import dataclass
from typing import Dict, List, Tuple

import numpy as np
from scipy import ndimage

from .preprocess import (
    AXES,
    extract_slice,
    load_volume,
    normalize_intensity,
    percentile_window,
    slice_count,
)

TEMPLATES = "/usr/share/mricron/templates"
CH2 = f"{TEMPLATES}/ch2.nii.gz"
AAL = f"{TEMPLATES}/aal.nii.gz"
AAL_NAMES = f"{TEMPLATES}/aal.nii.txt"
# 10 left/right pairs (both hemispheres, so no mirror twin is ever trained on):
# Frontal_Mid, Supp_Motor_Area, Insula, Hippocampus, Calcarine, Postcentral, Angular,
# Caudate, Heschl, Cerebelum_4_5
HELD_OUT_LABELS = (7, 8, 19, 20, 29, 30, 37, 38, 43, 44, 57, 58, 65, 66, 71, 72, 79, 80, 97, 98)
# axial slices k in [70, 90) are never trained on; coronal and sagittal training slices are
# cropped to the rows outside this z range, so no voxel of the slab reaches training
HELD_OUT_SLAB = (70, 90)
MIN_COMPONENT = 100
EIGHT_CONNECTED = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class SliceImage:
    axis: str
    index: int
    row0: int  # first row kept (crops of coronal/sagittal slices)
    pixels: np.ndarray  # H x W uint8
    labels: np.ndarray  # H x W AAL labels
    spacing: Tuple[float, float]


def label_names() -> Dict[int, str]:
    names = {}
    with open(AAL_NAMES) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                names[int(parts[0])] = parts[1]
    return names


def load_brain():
    """Normalised ch2 (uint8, percentile window) and aal labels, both vol[i, j, k]."""
    t1, spacing = load_volume(CH2)
    labels, _ = load_volume(AAL)
    low, high = percentile_window(t1)
    return normalize_intensity(t1, low, high), labels.astype(np.int32), spacing


def components(mask: np.ndarray, min_size: int = MIN_COMPONENT) -> List[np.ndarray]:
    """8-connected components of at least min_size pixels, as boolean masks."""
    labelled, n = ndimage.label(mask, structure=EIGHT_CONNECTED)
    if n == 0:
        return []
    sizes = np.bincount(labelled.ravel())
    return [labelled == c for c in range(1, n + 1) if sizes[c] >= min_size]


def training_slices(t1: np.ndarray, labels: np.ndarray, spacing) -> List[SliceImage]:
    """All slices of the three axes outside the held-out slab (crops for coronal/sagittal)."""
    out = []
    z0, z1 = HELD_OUT_SLAB
    for axis in AXES:
        for index in range(slice_count(t1.shape, axis)):
            if axis == "axial" and z0 <= index < z1:
                continue
            img = extract_slice(t1, axis, index)
            lab = extract_slice(labels, axis, index)
            parts = [(0, img.shape[0])] if axis == "axial" else [(0, z0), (z1, img.shape[0])]
            for r0, r1 in parts:
                if not lab[r0:r1].any():
                    continue
                out.append(
                    SliceImage(
                        axis,
                        index,
                        r0,
                        np.ascontiguousarray(img[r0:r1]),
                        np.ascontiguousarray(lab[r0:r1]),
                        spacing,
                    )
                )
    return out
