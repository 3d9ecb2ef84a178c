"""The committed goldens agree with the committed random-init bundle (rerun in PyTorch)."""

import json
import os

import numpy as np
import pytest
import torch

from medsam_model import BoxDecoder
from medsam_model.bundle import load_sam_from_bundle
from medsam_model.preprocess import (
    box_to_model,
    extract_slice,
    load_volume,
    model_input,
    normalize_intensity,
    percentile_window,
    upsample_logits,
)
from medsam_model.rle import counts_to_string, encode_counts

TESTDATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "testdata")
GOLDEN = os.path.join(TESTDATA, "golden")
TOL = 1e-5  # same code, same machine class: PyTorch reruns agree far below the 1e-4 contract


@pytest.fixture(scope="module")
def golden():
    with open(os.path.join(GOLDEN, "golden.json")) as f:
        return json.load(f)


@pytest.fixture(scope="module")
def sam(golden):
    return load_sam_from_bundle(os.path.join(GOLDEN, golden["bundle"]))


def load(ref) -> torch.Tensor:
    dtype = {"float32": "<f4", "uint8": "u1"}[ref["dtype"]]
    array = np.fromfile(os.path.join(GOLDEN, ref["file"]), dtype=dtype)
    return torch.from_numpy(array.reshape(ref["shape"]).copy())


def test_encoder(golden, sam):
    with torch.no_grad():
        out = sam.image_encoder(load(golden["encoder"]["image"]))
    assert (out - load(golden["encoder"]["image_embeddings"])).abs().max() < TOL


def test_decoder(golden, sam):
    d = golden["decoder"]
    with torch.no_grad():
        logits, iou = BoxDecoder(sam).eval()(load(d["image_embeddings"]), load(d["boxes"]))
    assert (logits - load(d["low_res_logits"])).abs().max() < TOL
    assert (iou - load(d["iou_predictions"])).abs().max() < TOL


def test_swapped_initializers_reproduce_second_state_dict(golden, sam):
    swap = golden["decoder_swapped_weights"]
    with open(os.path.join(GOLDEN, golden["bundle"], "manifest.json")) as f:
        manifest = json.load(f)
    assert [e["name"] for e in swap["initializers"]] == [
        e["name"] for e in manifest["decoder_initializers"]
    ]
    decoder = BoxDecoder(load_sam_from_bundle(os.path.join(GOLDEN, golden["bundle"])))
    state = decoder.state_dict()
    for entry in swap["initializers"]:
        state[entry["name"]] = load(entry)
    decoder.load_state_dict(state)
    d = golden["decoder"]
    with torch.no_grad():
        logits, iou = decoder.eval()(load(d["image_embeddings"]), load(d["boxes"]))
    assert (logits - load(swap["low_res_logits"])).abs().max() < TOL
    assert (iou - load(swap["iou_predictions"])).abs().max() < TOL
    assert (logits - load(d["low_res_logits"])).abs().max() > 1e-2  # the swap matters


def test_masks(golden, sam):
    decoder = BoxDecoder(sam).eval()
    s = golden["image_size"]
    for case in golden["masks"]:
        h, w = case["height"], case["width"]
        assert h != w
        box = box_to_model(case["box"], h, w, s)
        assert np.allclose(box, case["box_model"], atol=1e-5)
        with torch.no_grad():
            logits, _ = decoder(load(case["image_embeddings"]), torch.from_numpy(box)[None])
        up = upsample_logits(logits[0, 0], h, w)
        assert (up - load(case["upsampled_logits"])).abs().max() < TOL
        mask = load(case["mask"]).numpy()
        decided = (up.abs() > case["ambiguous_logit"]).numpy()
        assert np.array_equal((up.numpy() > 0)[decided], mask[decided].astype(bool))
        assert int(mask.sum()) == case["area"]
        assert encode_counts(mask) == case["rle_counts"]
        assert counts_to_string(case["rle_counts"]) == case["rle_string"]


def test_preprocessing(golden):
    p = golden["preprocessing"]
    vol, _ = load_volume(p["volume"])
    low, high = percentile_window(vol)
    assert (low, high) == (p["clip_low"], p["clip_high"])
    pixels = extract_slice(normalize_intensity(vol, low, high), p["axis"], p["index"])
    assert pixels.shape == (p["height"], p["width"])
    assert np.array_equal(pixels, load(p["pixels"]).numpy())
    x = model_input(np.ascontiguousarray(pixels), golden["image_size"])
    assert (x - load(p["model_input"])).abs().max() < 1e-6
