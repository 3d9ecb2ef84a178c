"""Paper preprocessing and postprocessing shared by training, evaluation and goldens
(DESIGN section 3 and CONVENTIONS: slicing, intensity, resize, boxes, masks)."""

from typing import Tuple

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F

AXES = ("axial", "coronal", "sagittal")


def load_volume(path: str) -> Tuple[np.ndarray, Tuple[float, float, float]]:
    """NIfTI volume in voxel order vol[i, j, k] and its voxel spacing (dx, dy, dz)."""
    img = nib.load(path)
    vol = np.asarray(img.dataobj)
    return vol, tuple(float(z) for z in img.header.get_zooms()[:3])


def slice_count(shape: Tuple[int, int, int], axis: str) -> int:
    return {"axial": shape[2], "coronal": shape[1], "sagittal": shape[0]}[axis]


def extract_slice(vol: np.ndarray, axis: str, index: int) -> np.ndarray:
    """H x W image, no reorientation: axial image[r][c] = vol[c][r][k], coronal
    image[r][c] = vol[c][j][r], sagittal image[r][c] = vol[i][c][r]."""
    if axis == "axial":
        return vol[:, :, index].T
    if axis == "coronal":
        return vol[:, index, :].T
    if axis == "sagittal":
        return vol[index, :, :].T
    raise ValueError(axis)


def slice_spacing(spacing: Tuple[float, float, float], axis: str) -> Tuple[float, float]:
    """(row spacing, column spacing) of a slice along axis."""
    dx, dy, dz = spacing
    return {"axial": (dy, dx), "coronal": (dz, dx), "sagittal": (dz, dy)}[axis]


def percentile_window(vol: np.ndarray) -> Tuple[float, float]:
    """0.5th and 99.5th percentiles (numpy linear interpolation) of the non-zero voxels."""
    nonzero = vol[vol != 0].astype(np.float64)
    return float(np.percentile(nonzero, 0.5)), float(np.percentile(nonzero, 99.5))


def normalize_intensity(vol: np.ndarray, low: float, high: float) -> np.ndarray:
    """MedSAM's MR/other preprocessing: clip, scale to [0, 255], zero voxels stay zero,
    truncate to uint8."""
    v = vol.astype(np.float64)
    scaled = (np.clip(v, low, high) - low) / (high - low) * 255.0
    scaled[v == 0] = 0.0
    return scaled.astype(np.uint8)


def model_input(pixels: np.ndarray, image_size: int) -> torch.Tensor:
    """H x W uint8 -> 1 x 3 x S x S float32: grey to 3 channels, bilinear "stretch" resize
    (align_corners=False), per-image min-max to [0, 1] (zeros if flat)."""
    grey = torch.from_numpy(pixels.astype(np.float32))[None, None]
    resized = F.interpolate(grey, (image_size, image_size), mode="bilinear", align_corners=False)
    lo, hi = resized.min(), resized.max()
    if float(hi - lo) > 0:
        resized = (resized - lo) / (hi - lo)
    else:
        resized = torch.zeros_like(resized)
    return resized.expand(1, 3, image_size, image_size).contiguous()


def box_to_model(box, height: int, width: int, image_size: int) -> np.ndarray:
    """Original x0, y0, x1, y1 -> model space with the "stretch" rule."""
    x0, y0, x1, y1 = box
    sx, sy = image_size / width, image_size / height
    return np.array([x0 * sx, y0 * sy, x1 * sx, y1 * sy], dtype=np.float32)


def box_of_mask(mask: np.ndarray) -> Tuple[int, int, int, int]:
    """[min col, min row, max col, max row] (inclusive) of a non-empty mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def upsample_logits(low_res: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """... x L x L logits -> ... x H x W, bilinear, align_corners=False."""
    shape = low_res.shape
    x = low_res.reshape(-1, 1, shape[-2], shape[-1])
    up = F.interpolate(x, (height, width), mode="bilinear", align_corners=False)
    return up.reshape(*shape[:-2], height, width)
