"""Demo v3 data (issue 14): several label sources on MRIcron's ch2 grid, the split rules, and
the training targets (atlas regions, unions of neighbouring regions, intensity-defined tissue
objects, synthetic shapes on real texture). Deterministic.

Sources (all permitted by the issue; the reserved HarvardOxford-*, JHU-*, jhu189, inia19-* and
brodmann are never opened here):
- images: ch2.nii.gz (T1, 1 mm) and ch2better.nii.gz (0.5 mm, the same head) resampled to ch2's
  grid with a [1/4, 1/2, 1/4] prefilter per axis (a 1 mm box) and sampling at ch2's centres;
- labels: aal.nii.gz (116 regions, ch2 grid), AICHAmc.nii.gz (192 regions, 2 mm grid) and
  natbrainlab.nii.gz (32 tracts, own grid), resampled to ch2 with their affines, nearest
  neighbour (source index = floor(continuous index + 0.5));
- brain mask: ch2bet.nii.gz (non-zero voxels); tissue classes from ch2 intensities inside it.

Split (fixed):
- (c) held-out atlas: natbrainlab, entirely (never trained on; the set candidates are chosen on);
- (b) unseen targets: AAL's 20 held-out labels of version 2 and every AICHAmc label with
  index % 8 == 3 (24 of 192); a training target of any atlas that is mostly one of them
  (overlap / its own size > 0.5) or close to it (3D Dice > 0.3) is dropped as well;
- (a) held-out slab: axial k in [70, 90) is evaluated; no training voxel has k in [64, 96)
  (a gap of 6 slices on each side; coronal and sagittal training slices are cropped)."""

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import nibabel as nib
import numpy as np
from scipy import ndimage

from .brain_data import HELD_OUT_LABELS as AAL_HELD_OUT
from .brain_data import MIN_COMPONENT, components
from .preprocess import AXES, extract_slice, normalize_intensity, percentile_window, slice_count

TEMPLATES = "/usr/share/mricron/templates"
CH2 = f"{TEMPLATES}/ch2.nii.gz"
CH2BETTER = f"{TEMPLATES}/ch2better.nii.gz"
CH2BET = f"{TEMPLATES}/ch2bet.nii.gz"
ATLAS_FILES = {
    "aal": f"{TEMPLATES}/aal.nii.gz",
    "aicha": f"{TEMPLATES}/AICHAmc.nii.gz",
    "natbrainlab": f"{TEMPLATES}/natbrainlab.nii.gz",
}
TRAINING_ATLASES = ("aal", "aicha")
HELD_OUT_ATLAS = "natbrainlab"
EVAL_SLAB = (70, 90)  # (a): axial slices evaluated
EXCLUDED_SLAB = (64, 96)  # no training voxel in these axial planes (gap 6 to the slab)
OVERLAP_OF_OWN = 0.5
DICE_TO_UNSEEN = 0.3
RESERVED = ("HarvardOxford", "JHU-", "jhu189", "inia19", "brodmann")


def aicha_held_out(labels: Sequence[int]) -> Tuple[int, ...]:
    """AICHAmc labels held out as unseen targets: index % 8 == 3 in sorted order."""
    return tuple(int(v) for i, v in enumerate(sorted(labels)) if i % 8 == 3)


def _check_permitted(path: str) -> None:
    if any(r in path for r in RESERVED):
        raise ValueError(f"{path} is reserved (issue 14): never loaded for training or choice")


def _load(path: str) -> Tuple[np.ndarray, np.ndarray]:
    _check_permitted(path)
    img = nib.load(path)
    return np.asarray(img.dataobj), img.affine


def resample_nearest(
    src: np.ndarray, src_affine: np.ndarray, ref_affine: np.ndarray, ref_shape
) -> np.ndarray:
    """src resampled to the reference grid: every reference voxel takes the value of the source
    voxel nearest to its centre (floor(index + 0.5)), 0 outside the source."""
    ijk = np.indices(ref_shape, dtype=np.float64).reshape(3, -1)
    m = np.linalg.inv(src_affine) @ ref_affine
    idx = np.floor(m[:3, :3] @ ijk + m[:3, 3:4] + 0.5 + 1e-9).astype(np.int64)
    inside = np.all((idx >= 0) & (idx < np.array(src.shape)[:, None]), axis=0)
    out = np.zeros(idx.shape[1], dtype=src.dtype)
    out[inside] = src[idx[0, inside], idx[1, inside], idx[2, inside]]
    return out.reshape(ref_shape)


def resample_image_box(
    src: np.ndarray, src_affine: np.ndarray, ref_affine: np.ndarray, ref_shape
) -> np.ndarray:
    """A finer image on the reference grid: [1/4, 1/2, 1/4] prefilter along each axis, then
    trilinear sampling at the reference centres (0 outside)."""
    v = src.astype(np.float32)
    for axis in range(3):
        v = ndimage.convolve1d(v, np.array([0.25, 0.5, 0.25], np.float32), axis, mode="nearest")
    ijk = np.indices(ref_shape, dtype=np.float64).reshape(3, -1)
    m = np.linalg.inv(src_affine) @ ref_affine
    coords = m[:3, :3] @ ijk + m[:3, 3:4]
    out = ndimage.map_coordinates(v, coords, order=1, mode="constant", cval=0.0)
    return out.reshape(ref_shape)


def tissue_classes(t1: np.ndarray, brain: np.ndarray) -> np.ndarray:
    """1 = CSF, 2 = grey matter, 3 = white matter: three-class k-means (1D, initialised at the
    10th/50th/90th percentiles, 20 iterations) of ch2 intensities inside the brain mask."""
    values = t1[brain].astype(np.float64)
    centres = np.percentile(values, [10, 50, 90])
    for _ in range(20):
        assign = np.argmin(np.abs(values[:, None] - centres[None]), axis=1)
        centres = np.array([values[assign == c].mean() for c in range(3)])
    out = np.zeros(t1.shape, np.uint8)
    out[brain] = 1 + np.argmin(np.abs(values[:, None] - centres[None]), axis=1)
    return out


@dataclass
class Brain:
    images: Dict[str, np.ndarray]  # name -> uint8 volume on ch2's grid (percentile window)
    atlases: Dict[str, np.ndarray]  # name -> int32 label volume on ch2's grid
    tissue: np.ndarray  # uint8 0/1/2/3 (outside, CSF, GM, WM)
    brain: np.ndarray  # bool
    spacing: Tuple[float, float, float]
    unseen: Dict[str, Tuple[int, ...]]  # atlas -> held-out labels
    trained: Dict[str, Tuple[int, ...]]  # atlas -> labels used for training


def load_brain_v3(second_image: bool = True) -> Brain:
    t1_raw, ref_affine = _load(CH2)
    shape = t1_raw.shape
    spacing = tuple(float(z) for z in nib.load(CH2).header.get_zooms()[:3])
    images = {"ch2": normalize_intensity(t1_raw, *percentile_window(t1_raw))}
    if second_image:
        better, aff = _load(CH2BETTER)
        v = resample_image_box(better, aff, ref_affine, shape)
        images["ch2better"] = normalize_intensity(v, *percentile_window(v))
    atlases = {}
    for name, path in ATLAS_FILES.items():
        lab, aff = _load(path)
        atlases[name] = resample_nearest(lab.astype(np.int32), aff, ref_affine, shape)
    bet, _ = _load(CH2BET)
    brain = bet > 0
    tissue = tissue_classes(t1_raw, brain)
    aicha_labels = [int(v) for v in np.unique(atlases["aicha"]) if v]
    unseen = {"aal": tuple(AAL_HELD_OUT), "aicha": aicha_held_out(aicha_labels)}
    trained = training_labels(atlases, unseen)
    return Brain(images, atlases, tissue, brain, spacing, unseen, trained)


def training_labels(
    atlases: Dict[str, np.ndarray], unseen: Dict[str, Tuple[int, ...]]
) -> Dict[str, Tuple[int, ...]]:
    """Per training atlas the labels that may be trained: not held out, and neither mostly
    inside a held-out target of any training atlas (overlap / own size > 0.5) nor close to
    one (3D Dice > 0.3). Counted on the whole volume."""
    out = {}
    for a in TRAINING_ATLASES:
        vol = atlases[a]
        sizes = np.bincount(vol.ravel())
        leaks = set()
        for h in TRAINING_ATLASES:
            hvol = atlases[h]
            hsizes = np.bincount(hvol.ravel())
            held = np.isin(hvol, unseen[h]) & (vol > 0)
            pairs = vol[held].astype(np.int64) * 100000 + hvol[held]
            values, counts = np.unique(pairs, return_counts=True)
            for v, inter in zip(values, counts):
                t, u = int(v // 100000), int(v % 100000)
                size, hsize = int(sizes[t]), int(hsizes[u])
                if inter / size > OVERLAP_OF_OWN or 2 * inter / (size + hsize) > DICE_TO_UNSEEN:
                    leaks.add(t)
        labels = (int(v) for v in np.unique(vol) if v)
        out[a] = tuple(t for t in labels if t not in unseen[a] and t not in leaks)
    return out


@dataclass
class TrainSlice:
    image: str  # which image volume
    axis: str
    index: int
    row0: int
    pixels: np.ndarray  # H x W uint8
    maps: List[np.ndarray]  # per source: H x W int16 component ids (0 = none)
    counts: List[int]  # per source: number of components


SOURCES = ("aal", "aicha", "tissue")


def _component_map(lab: np.ndarray, labels: Sequence[int]) -> Tuple[np.ndarray, int]:
    comp_map = np.zeros(lab.shape, np.int16)
    n = 0
    present = set(int(v) for v in np.unique(lab)) & set(labels)
    for t in sorted(present):
        for comp in components(lab == t, MIN_COMPONENT):
            n += 1
            comp_map[comp] = n
    return comp_map, n


def training_rows(axis: str, height: int) -> List[Tuple[int, int]]:
    """Row ranges of a slice along axis that may be trained (coronal/sagittal rows are k)."""
    z0, z1 = EXCLUDED_SLAB
    if axis == "axial":
        return [(0, height)]
    return [(0, min(z0, height)), (min(z1, height), height)]


def training_axial(index: int) -> bool:
    return not (EXCLUDED_SLAB[0] <= index < EXCLUDED_SLAB[1])


def training_slices_v3(brain: Brain, axes: Sequence[str] = AXES, step: int = 1) -> List[TrainSlice]:
    """Slices of every image along the axes (every step-th), outside the excluded slab, with
    component maps of the trained atlas labels and of the tissue classes (CSF, GM, WM)."""
    out = []
    tissue_labels = (1, 2, 3)
    for name, vol in brain.images.items():
        for axis in axes:
            for index in range(0, slice_count(vol.shape, axis), step):
                if axis == "axial" and not training_axial(index):
                    continue
                img = extract_slice(vol, axis, index)
                labs = [extract_slice(brain.atlases[a], axis, index) for a in TRAINING_ATLASES]
                tis = extract_slice(brain.tissue, axis, index)
                for r0, r1 in training_rows(axis, img.shape[0]):
                    if r1 - r0 < 32:
                        continue
                    maps, counts = [], []
                    for a, lab in zip(TRAINING_ATLASES, labs):
                        m, n = _component_map(lab[r0:r1], brain.trained[a])
                        maps.append(m)
                        counts.append(n)
                    m, n = _component_map(tis[r0:r1], tissue_labels)
                    maps.append(m)
                    counts.append(n)
                    if sum(counts) == 0:
                        continue
                    out.append(
                        TrainSlice(
                            name,
                            axis,
                            index,
                            r0,
                            np.ascontiguousarray(img[r0:r1]),
                            maps,
                            counts,
                        )
                    )
    return out


def neighbour_union(comp_map: np.ndarray, c: int, rng) -> Optional[np.ndarray]:
    """Component c united with one component of the same map that touches it (8-connected),
    or None when none touches."""
    mask = comp_map == c
    ring = ndimage.binary_dilation(mask, np.ones((3, 3), bool)) & ~mask
    touching = sorted(set(int(v) for v in np.unique(comp_map[ring]) if v and v != c))
    if not touching:
        return None
    other = touching[rng.randrange(len(touching))]
    union = mask | (comp_map == other)
    return union


def synthetic_shapes(pixels: np.ndarray, rng, count: int) -> Tuple[np.ndarray, List[np.ndarray]]:
    """Pastes count random blobs onto a copy of the slice, each with a texture that differs from
    its surroundings (an intensity-scaled and shifted copy of another part of the slice), and
    returns the image and the blob masks (each >= MIN_COMPONENT px, visible part only)."""
    h, w = pixels.shape
    img = pixels.astype(np.float32).copy()
    masks: List[np.ndarray] = []
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    for _ in range(count):
        bh, bw = rng.randint(12, max(13, h // 3)), rng.randint(12, max(13, w // 3))
        y0, x0 = rng.randint(0, h - bh), rng.randint(0, w - bw)
        yy, xx = np.mgrid[0:bh, 0:bw]
        cy, cx = (bh - 1) / 2, (bw - 1) / 2
        r = np.sqrt(((yy - cy) / (bh / 2)) ** 2 + ((xx - cx) / (bw / 2)) ** 2)
        noise = ndimage.gaussian_filter(nrng.standard_normal((bh, bw)), rng.uniform(2, 5))
        noise /= np.abs(noise).max() + 1e-6
        shape = r + rng.uniform(0.2, 0.6) * noise < rng.uniform(0.7, 0.95)
        shape = ndimage.binary_opening(shape, np.ones((3, 3), bool))
        lab, n = ndimage.label(shape)
        if n == 0:
            continue
        shape = lab == (1 + int(np.argmax(np.bincount(lab.ravel())[1:])))
        sy, sx = rng.randint(0, h - bh), rng.randint(0, w - bw)
        texture = pixels[sy : sy + bh, sx : sx + bw].astype(np.float32)
        texture = texture * rng.uniform(0.5, 1.5) + rng.choice((-1, 1)) * rng.uniform(25, 90)
        region = img[y0 : y0 + bh, x0 : x0 + bw]
        region[shape] = texture[shape]
        full = np.zeros((h, w), bool)
        full[y0 : y0 + bh, x0 : x0 + bw] = shape
        for m in masks:
            m &= ~full
        masks.append(full)
    img = np.clip(img, 0, 255).astype(np.uint8)
    masks = [m for m in masks if m.sum() >= MIN_COMPONENT]
    return img, masks


def eval_targets(brain: Brain) -> Dict[str, Dict]:
    """The three evaluation sets: per row an atlas, its targets and axial slices.
    (a) trained labels of each training atlas on the slab; (b) held-out labels of each training
    atlas on every axial slice where they occur; (c) every natbrainlab label."""
    z0, z1 = EVAL_SLAB
    slab = list(range(z0, z1))
    sets = {}
    for a in TRAINING_ATLASES:
        vol = brain.atlases[a]
        present = set(int(v) for v in np.unique(vol[:, :, z0:z1]) if v)
        sets[f"a_{a}"] = dict(atlas=a, targets=sorted(present & set(brain.trained[a])), slices=slab)
        held = list(brain.unseen[a])
        ks = [k for k in range(vol.shape[2]) if np.isin(vol[:, :, k], held).any()]
        sets[f"b_{a}"] = dict(atlas=a, targets=sorted(held), slices=ks)
    vol = brain.atlases[HELD_OUT_ATLAS]
    labels = sorted(int(v) for v in np.unique(vol) if v)
    ks = [k for k in range(vol.shape[2]) if vol[:, :, k].any()]
    sets["c_natbrainlab"] = dict(atlas=HELD_OUT_ATLAS, targets=labels, slices=ks)
    return sets
