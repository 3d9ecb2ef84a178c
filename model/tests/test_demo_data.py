"""Demo v3 data (issue 14): resampling onto ch2's grid and the split rules (no held-out slice,
plane or target reaches training)."""

import numpy as np
import pytest

from medsam_model import demo_data
from medsam_model.demo_data import (
    EVAL_SLAB,
    EXCLUDED_SLAB,
    load_brain_v3,
    resample_image_box,
    resample_nearest,
    training_slices_v3,
)
from medsam_model.preprocess import extract_slice

CH2_AFFINE = np.array([[1.0, 0, 0, -90], [0, 1, 0, -125], [0, 0, 1, -71], [0, 0, 0, 1]])
CH2_SHAPE = (181, 217, 181)


@pytest.fixture(scope="module")
def brain():
    return load_brain_v3(second_image=False)


def test_resample_nearest_on_a_known_affine():
    # a 2 mm grid with a flipped x axis, as AICHAmc: world x = 90 - 2 i, y = -126 + 2 j,
    # z = -72 + 2 k; ch2 voxel (180 - 2i, 2j - 1, 2k - 1) lies exactly on source (i, j, k)
    src_aff = np.array([[-2.0, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]])
    src = np.arange(91 * 109 * 91, dtype=np.int32).reshape(91, 109, 91)
    out = resample_nearest(src, src_aff, CH2_AFFINE, CH2_SHAPE)
    for i, j, k in [(10, 20, 30), (45, 54, 45), (80, 100, 60), (1, 1, 1)]:
        assert out[180 - 2 * i, 2 * j - 1, 2 * k - 1] == src[i, j, k]
    # ch2 voxel 0 (x = -90) lies at source i = 90: the last x plane; y = -125 at j = 0.5 -> 1
    assert out[0, 0, 1] == src[90, 1, 1]
    # outside the source (z = -71 + 180 = 109 > -72 + 2 * 90 = 108, k = 90.5 -> 91): zero
    assert out[90, 100, 180] == 0


def test_resampled_atlases_match_their_affines_on_disk(brain):
    import nibabel as nib

    nat = nib.load(demo_data.ATLAS_FILES["natbrainlab"])
    vol = np.asarray(nat.dataobj)
    # natbrainlab: x = 78 - i, y = j - 112, z = k - 50 -> ch2 (168 - i, j + 13, k + 21)
    assert np.allclose(nat.affine[:3, 3], [78, -112, -50])
    ii, jj, kk = np.nonzero(vol)
    for n in range(0, len(ii), max(1, len(ii) // 50)):
        i, j, k = ii[n], jj[n], kk[n]
        assert brain.atlases["natbrainlab"][168 - i, j + 13, k + 21] == vol[i, j, k]
    assert np.array_equal(
        brain.atlases["aal"], np.asarray(nib.load(demo_data.ATLAS_FILES["aal"]).dataobj)
    )


def test_resample_image_box_keeps_a_constant():
    src_aff = np.diag([0.5, 0.5, 0.5, 1.0])
    ref_aff = np.diag([1.0, 1.0, 1.0, 1.0])
    out = resample_image_box(np.full((20, 20, 20), 7, np.uint8), src_aff, ref_aff, (8, 8, 8))
    assert np.allclose(out, 7.0)


def test_reserved_files_are_refused_before_loading():
    with pytest.raises(ValueError, match="reserved"):
        demo_data._load("/usr/share/mricron/templates/brodmann.nii.gz")


def test_held_out_slab_has_a_gap_to_every_trained_plane():
    assert EXCLUDED_SLAB[0] <= EVAL_SLAB[0] - 5 and EVAL_SLAB[1] + 5 <= EXCLUDED_SLAB[1]


def test_no_held_out_plane_or_target_reaches_training(brain):
    assert not set(brain.trained["aal"]) & set(brain.unseen["aal"])
    assert not set(brain.trained["aicha"]) & set(brain.unseen["aicha"])
    assert len(brain.unseen["aicha"]) == 24 and len(brain.unseen["aal"]) == 20
    assert demo_data.HELD_OUT_ATLAS not in demo_data.SOURCES
    slices = training_slices_v3(brain, step=7)
    assert {s.axis for s in slices} == {"axial", "coronal", "sagittal"}
    z0, z1 = EXCLUDED_SLAB
    for s in slices:
        h = s.pixels.shape[0]
        if s.axis == "axial":
            assert not z0 <= s.index < z1
        else:  # rows are k: the crop never reaches the excluded planes
            assert s.row0 + h <= z0 or s.row0 >= z1
        for a, m in zip(demo_data.TRAINING_ATLASES, s.maps):
            lab = extract_slice(brain.atlases[a], s.axis, s.index)[s.row0 : s.row0 + h]
            assert set(np.unique(lab[m > 0]).tolist()) <= set(brain.trained[a])


def test_leak_rule_drops_regions_mostly_inside_an_unseen_target(brain):
    aal, aicha = brain.atlases["aal"], brain.atlases["aicha"]
    held = [aal == u for u in brain.unseen["aal"]] + [aicha == u for u in brain.unseen["aicha"]]
    for t in brain.trained["aicha"][::8]:
        mask = aicha == t
        for h in held:
            inter = (mask & h).sum()
            assert inter / mask.sum() <= 0.5 and 2 * inter / (mask.sum() + h.sum()) <= 0.3
    dropped = set(int(v) for v in np.unique(aicha) if v) - set(brain.trained["aicha"])
    assert len(dropped) > len(brain.unseen["aicha"])  # some overlap AAL's unseen regions


def test_synthetic_shapes_are_deterministic():
    import random

    pixels = (np.arange(217 * 181) % 251).astype(np.uint8).reshape(217, 181)
    a = demo_data.synthetic_shapes(pixels, random.Random(4), 3)
    b = demo_data.synthetic_shapes(pixels, random.Random(4), 3)
    assert np.array_equal(a[0], b[0]) and len(a[1]) == len(b[1]) >= 1
    assert all(m.sum() >= 100 for m in a[1])
