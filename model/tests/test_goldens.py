"""The committed goldens agree with the committed random-init bundles (rerun in PyTorch):
golden/ (config test, stretch / logits rules), golden-lite/ (config lite_test,
litemedsam rules) and golden-conv/ (config conv_test, stretch / logits rules)."""

import json
import os

import numpy as np
import pytest
import torch

from medsam_model import BoxDecoder
from medsam_model.bundle import load_sam_from_bundle
from medsam_model.preprocess import (
    box_to_model_for,
    extract_slice,
    load_volume,
    mask_for,
    model_input_for,
    normalize_intensity,
    percentile_window,
)
from medsam_model.rle import counts_to_string, encode_counts

TESTDATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "testdata")
TOL = 1e-5  # same code, same machine class: PyTorch reruns agree far below the 1e-4 contract


@pytest.fixture(scope="module", params=["golden", "golden-lite", "golden-conv"])
def golden(request):
    folder = os.path.join(TESTDATA, request.param)
    with open(os.path.join(folder, "golden.json")) as f:
        g = json.load(f)
    g["_dir"] = folder
    return g


@pytest.fixture(scope="module")
def sam(golden):
    return load_sam_from_bundle(os.path.join(golden["_dir"], golden["bundle"]))


def rules(golden):
    """(resize, mask_rule); golden/ predates the fields: stretch and logits."""
    return golden.get("resize", "stretch"), golden.get("mask_rule", "logits")


def loader(golden):
    def load(ref) -> torch.Tensor:
        dtype = {"float32": "<f4", "uint8": "u1"}[ref["dtype"]]
        array = np.fromfile(os.path.join(golden["_dir"], ref["file"]), dtype=dtype)
        return torch.from_numpy(array.reshape(ref["shape"]).copy())

    return load


def test_encoder(golden, sam):
    load = loader(golden)
    with torch.no_grad():
        out = sam.image_encoder(load(golden["encoder"]["image"]))
    assert (out - load(golden["encoder"]["image_embeddings"])).abs().max() < TOL


def test_decoder(golden, sam):
    load = loader(golden)
    d = golden["decoder"]
    with torch.no_grad():
        logits, iou = BoxDecoder(sam).eval()(load(d["image_embeddings"]), load(d["boxes"]))
    assert (logits - load(d["low_res_logits"])).abs().max() < TOL
    assert (iou - load(d["iou_predictions"])).abs().max() < TOL


def test_swapped_initializers_reproduce_second_state_dict(golden, sam):
    load = loader(golden)
    swap = golden["decoder_swapped_weights"]
    with open(os.path.join(golden["_dir"], golden["bundle"], "manifest.json")) as f:
        manifest = json.load(f)
    assert [e["name"] for e in swap["initializers"]] == [
        e["name"] for e in manifest["decoder_initializers"]
    ]
    decoder = BoxDecoder(load_sam_from_bundle(os.path.join(golden["_dir"], golden["bundle"])))
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
    load = loader(golden)
    decoder = BoxDecoder(sam).eval()
    s = golden["image_size"]
    resize, mask_rule = rules(golden)
    for case in golden["masks"]:
        h, w = case["height"], case["width"]
        assert h != w
        box = box_to_model_for(case["box"], h, w, s, resize)
        assert np.allclose(box, case["box_model"], atol=1e-5)
        with torch.no_grad():
            logits, _ = decoder(load(case["image_embeddings"]), torch.from_numpy(box)[None])
        up, got = mask_for(logits[0, 0], h, w, s, resize, mask_rule)
        assert (up - load(case["upsampled_logits"])).abs().max() < TOL
        mask = load(case["mask"]).numpy()
        decided = (up.abs() > case["ambiguous_logit"]).numpy()
        assert np.array_equal(got[decided], mask[decided])
        assert np.array_equal((up.numpy() > 0)[decided], mask[decided].astype(bool))
        assert int(mask.sum()) == case["area"]
        assert encode_counts(mask) == case["rle_counts"]
        assert counts_to_string(case["rle_counts"]) == case["rle_string"]


def test_preprocessing(golden):
    load = loader(golden)
    p = golden["preprocessing"]
    vol, _ = load_volume(p["volume"])
    low, high = percentile_window(vol)
    assert (low, high) == (p["clip_low"], p["clip_high"])
    pixels = extract_slice(normalize_intensity(vol, low, high), p["axis"], p["index"])
    assert pixels.shape == (p["height"], p["width"])
    assert np.array_equal(pixels, load(p["pixels"]).numpy())
    x = model_input_for(np.ascontiguousarray(pixels), rules(golden)[0], golden["image_size"])
    assert (x - load(p["model_input"])).abs().max() < 1e-6
