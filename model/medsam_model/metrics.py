"""Segmentation metrics of the evaluation protocol: DSC and NSD (normalized surface
distance at a tolerance in mm, using the voxel spacing), and the ellipse baseline."""

from typing import Sequence

import numpy as np
from scipy import ndimage


def dice(pred: np.ndarray, gt: np.ndarray) -> float:
    """2|P & G| / (|P| + |G|); 1.0 when both are empty."""
    p, g = pred.astype(bool), gt.astype(bool)
    total = p.sum() + g.sum()
    return 1.0 if total == 0 else float(2.0 * (p & g).sum() / total)


def surface(mask: np.ndarray) -> np.ndarray:
    """Boundary voxels: in the mask with a face-neighbour outside it (or at the array edge)."""
    structure = ndimage.generate_binary_structure(mask.ndim, 1)
    eroded = ndimage.binary_erosion(mask, structure=structure, border_value=0)
    return mask & ~eroded


def normalized_surface_distance(
    pred: np.ndarray, gt: np.ndarray, spacing: Sequence[float], tolerance: float = 1.0
) -> float:
    """Fraction of both boundaries lying within tolerance (mm) of the other boundary,
    counted over boundary voxels (not surfel areas). 1.0 if both are empty, 0.0 if one is."""
    p, g = pred.astype(bool), gt.astype(bool)
    if not p.any() and not g.any():
        return 1.0
    if not p.any() or not g.any():
        return 0.0
    # crop to the union's bounding box with a zero margin: same surfaces and same distances
    # up to the tolerance, much less work for the distance transforms
    margin = int(np.ceil(tolerance / min(spacing))) + 1
    nz = np.nonzero(p | g)
    window = tuple(slice(max(0, int(i.min()) - margin), int(i.max()) + margin + 1) for i in nz)
    p, g = np.pad(p[window], margin), np.pad(g[window], margin)
    sp, sg = surface(p), surface(g)
    dist_to_p = ndimage.distance_transform_edt(~sp, sampling=spacing)
    dist_to_g = ndimage.distance_transform_edt(~sg, sampling=spacing)
    close = (dist_to_p[sg] <= tolerance).sum() + (dist_to_g[sp] <= tolerance).sum()
    return float(close / (sg.sum() + sp.sum()))


def inscribed_ellipse(box: Sequence[float], height: int, width: int) -> np.ndarray:
    """Filled ellipse inscribed in the inclusive pixel box x0, y0, x1, y1 (H x W bool)."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    a, b = (x1 - x0 + 1) / 2.0, (y1 - y0 + 1) / 2.0
    rows, cols = np.mgrid[0:height, 0:width]
    return ((cols - cx) / a) ** 2 + ((rows - cy) / b) ** 2 <= 1.0
