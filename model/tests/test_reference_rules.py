"""preprocess.py's per-bundle rules against the committed reference goldens (made with
skimage, OpenCV and PyTorch by make_reference_goldens.py) and against the libraries
themselves on further sizes."""

import json
import os

import cv2
import numpy as np
import pytest
import torch
from skimage import transform

from medsam_model.preprocess import (
    box_to_model_for,
    content_size,
    mask_for,
    model_input_for,
    resize_area,
    resize_medsam,
    resized_content,
)

TESTDATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "testdata")
REFERENCE = os.path.join(TESTDATA, "reference")


@pytest.fixture(scope="module")
def golden():
    with open(os.path.join(REFERENCE, "reference.json")) as f:
        return json.load(f)


def load(ref) -> np.ndarray:
    dtype = {"float32": "<f4", "uint8": "u1"}[ref["dtype"]]
    array = np.fromfile(os.path.join(REFERENCE, ref["file"]), dtype=dtype)
    return array.reshape(ref["shape"])


def test_goldens_stay_small():
    total = sum(os.path.getsize(os.path.join(REFERENCE, n)) for n in os.listdir(REFERENCE))
    assert total < 4 * 1024 * 1024


def test_resize_rules_reproduce_the_references(golden):
    rules = set()
    for case in golden["resize"]:
        rule, s = case["rule"], case["size"]
        rules.add(rule)
        pixels = load(case["input"])
        assert pixels.shape == (case["height"], case["width"])
        assert list(content_size(rule, *pixels.shape, s)) == case["content_size"]
        expected = load(case["resized"])
        got = resized_content(pixels, rule, s)
        assert got.dtype == np.uint8 and got.shape == expected.shape + (3,), case["name"]
        assert all(np.array_equal(got[..., 0], got[..., k]) for k in (1, 2)), case["name"]
        got = got[..., 0]
        # exact here; the Java contract is +-1 grey level on >= 99.9 % of the pixels
        assert np.array_equal(got, expected), (rule, case["name"])
        if "model_input" in case:
            x = model_input_for(pixels, rule, s)
            assert x.shape == (1, 3, s, s)
            assert torch.equal(x[0, 0], x[0, 2])
            ref = torch.from_numpy(load(case["model_input"]).copy())
            assert (x[0, 0] - ref).abs().max() < 1e-6, (rule, case["name"])
    assert rules == {"medsam", "litemedsam"}


def test_box_rules(golden):
    for case in golden["boxes"]:
        got = box_to_model_for(
            case["box"], case["height"], case["width"], case["size"], case["rule"]
        )
        assert np.allclose(got, case["box_model"], rtol=0, atol=1e-4), case
    # LiteMedSAM truncates: 181 * 256 / 217 = 213.5 -> 213
    assert list(box_to_model_for((0, 0, 181, 217), 217, 181, 256, "litemedsam")) == [0, 0, 213, 256]


def test_mask_rules(golden):
    kinds = set()
    for case in golden["masks"]:
        h, w = case["height"], case["width"]
        logits = torch.from_numpy(load(case["low_res_logits"]).copy())
        logits = logits.reshape(case["low_res_size"], case["low_res_size"])
        values, mask = mask_for(logits, h, w, case["size"], case["resize_rule"], case["mask_rule"])
        kinds.add(case["mask_rule"])
        assert values.shape == (h, w) and mask.shape == (h, w)
        assert (values - torch.from_numpy(load(case["values"]).copy())).abs().max() < 1e-6
        expected = load(case["mask"])
        decided = ((values - case["threshold"]).abs() > case["ambiguous_band"]).numpy()
        assert np.array_equal(mask[decided], expected[decided]), case["mask_rule"]
        assert abs(int(mask.sum()) - case["area"]) <= case["ambiguous_pixels"]
    assert kinds == {"logits", "medsam", "litemedsam"}


def test_medsam_mask_rule_differs_from_thresholding_logits():
    # bilinear on probabilities is not bilinear on logits: the rules disagree near edges
    logits = torch.tensor([[-8.0, 1.0], [1.0, 1.0]])
    probs, medsam = mask_for(logits, 7, 7, 2, "medsam", "medsam")
    _, by_logits = mask_for(logits, 7, 7, 2, "stretch", "logits")
    assert not np.array_equal(medsam, by_logits)


@pytest.mark.parametrize(
    "shape", [(37, 11), (256, 256), (400, 90), (1030, 20), (3, 3), (64, 64), (40, 120)]
)
def test_resize_medsam_equals_skimage(shape):
    rng = np.random.default_rng(shape[0] * 7 + shape[1])
    pixels = rng.integers(0, 256, shape, dtype=np.uint8)
    for size in (64, 256):
        # MedSAM_Inference.py resizes the grey image replicated to H x W x 3
        ref = transform.resize(
            np.repeat(pixels[:, :, None], 3, axis=2),
            (size, size),
            order=3,
            preserve_range=True,
            anti_aliasing=True,
        ).astype(np.uint8)
        assert np.array_equal(resize_medsam(pixels, size), ref), (shape, size)


@pytest.mark.parametrize(
    "shape",
    [(37, 11), (256, 256), (400, 90), (1030, 20), (3, 3), (512, 512), (1000, 333), (136, 181)],
)
def test_resize_area_matches_opencv(shape):
    rng = np.random.default_rng(shape[0] * 7 + shape[1])
    pixels = rng.integers(0, 256, shape, dtype=np.uint8)
    for size in (64, 256):
        h, w = content_size("litemedsam", *shape, size)
        ref = cv2.resize(pixels, (w, h), interpolation=cv2.INTER_AREA)
        assert np.array_equal(resize_area(pixels, h, w), ref), (shape, size)


def test_longest_side_pad_keeps_the_java_semantics():
    # the same cases as the Java tests (ResizeAndModelInputTest, BoxTest, MaskToolsTest)
    assert content_size("longest-side-pad", 181, 217, 256) == (214, 256)
    pixels = np.array([[0, 50, 100, 150], [200, 255, 10, 20]], dtype=np.uint8)
    x = model_input_for(pixels, "longest-side-pad", 8)
    assert abs(float(x[0, 0, 0, 1]) - 0.05181347206234932) < 1e-6
    assert abs(float(x[0, 0, 2, 0]) - 0.621761679649353) < 1e-6
    assert float(x[0, :, 4:, :].abs().max()) == 0.0
    box = box_to_model_for((10, 20, 150, 90), 100, 200, 256, "longest-side-pad")
    assert list(box) == list(np.array([12.8, 25.6, 192, 115.2], dtype=np.float32))
    logits = torch.tensor([-2, -1, 1, 3, -1, 0.5, 2, -4, 0, -0.25, -1, 1, 2, 1, -3, -0.5])
    up, mask = mask_for(logits.reshape(4, 4), 3, 6, 8, "longest-side-pad", "logits")
    assert abs(float(up[0, 0]) - -1.915798544883728) < 1e-5
    assert abs(float(up[2, 5]) - -2.500000238418579) < 1e-5
    assert np.array_equal(mask, (up > 0).numpy().astype(np.uint8))
