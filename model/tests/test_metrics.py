"""DSC, NSD (boundary voxels, tolerance in mm) and the ellipse baseline on analytic cases."""

import math

import numpy as np
import pytest

from medsam_model.metrics import dice, inscribed_ellipse, normalized_surface_distance


def _plate(x: int, shape=(12, 12, 12)) -> np.ndarray:
    vol = np.zeros(shape, dtype=bool)
    vol[x, 1:11, 1:11] = True  # one voxel thick: every voxel is boundary
    return vol


def test_nsd_parallel_plates_uses_spacing():
    gt = _plate(2)
    # 2 voxels apart at 0.5 mm: 1.0 mm, within tolerance
    assert normalized_surface_distance(_plate(4), gt, (0.5, 1.0, 1.0), 1.0) == 1.0
    # 3 voxels apart at 0.5 mm: 1.5 mm, outside
    assert normalized_surface_distance(_plate(5), gt, (0.5, 1.0, 1.0), 1.0) == 0.0
    assert normalized_surface_distance(_plate(5), gt, (0.5, 1.0, 1.0), 1.5) == 1.0


def test_nsd_extra_far_component_counts_against_prediction():
    gt = _plate(2)
    pred = _plate(2) | _plate(9)  # 100 matching voxels + 100 voxels 7 mm away
    assert normalized_surface_distance(pred, gt, (1.0, 1.0, 1.0), 1.0) == pytest.approx(2 / 3)


def test_nsd_empty_cases():
    empty = np.zeros((4, 4, 4), dtype=bool)
    assert normalized_surface_distance(empty, empty, (1, 1, 1)) == 1.0
    assert normalized_surface_distance(_plate(2), np.zeros((12, 12, 12), bool), (1, 1, 1)) == 0.0


def test_dice():
    a = np.zeros((10, 10), bool)
    b = np.zeros((10, 10), bool)
    a[:, :5] = True
    b[:, :4] = True
    assert dice(a, b) == pytest.approx(2 * 40 / 90)
    assert dice(a, a) == 1.0


def test_inscribed_ellipse_area_and_bounds():
    mask = inscribed_ellipse((20, 10, 119, 69), 100, 150)  # 100 x 60 px box
    assert abs(mask.sum() - math.pi * 50 * 30) / (math.pi * 50 * 30) < 0.02
    rows, cols = np.nonzero(mask)
    assert cols.min() >= 20 and cols.max() <= 119 and rows.min() >= 10 and rows.max() <= 69
