"""The committed bundles honour the contract (the demo bundle is what the Java side loads)."""

import json
import os

import pytest
import torch

from medsam_model import BoxDecoder
from medsam_model.bundle import check_decoder_onnx, load_sam_from_bundle

MODEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLES = {
    "medsam-tiny-brain": os.path.join(MODEL_DIR, "bundles", "medsam-tiny-brain"),
    "medsam-conv32p-ellipse-brain": os.path.join(
        MODEL_DIR, "bundles", "medsam-conv32p-ellipse-brain"
    ),
    "medsam-test-random": os.path.join(MODEL_DIR, "testdata", "tiny-random-bundle"),
    "medsam-lite-test-random": os.path.join(MODEL_DIR, "testdata", "lite-random-bundle"),
    "medsam-conv-test-random": os.path.join(MODEL_DIR, "testdata", "conv-random-bundle"),
}
VERSIONS = {
    "medsam-tiny-brain": "2",
    "medsam-conv32p-ellipse-brain": "3",
    "medsam-test-random": "1",
    "medsam-lite-test-random": "1",
    "medsam-conv-test-random": "1",
}
# the Java parity tests load these; the lite fixture must stay under 5 MB
MAX_BYTES = {
    "medsam-tiny-brain": 30 << 20,
    "medsam-conv32p-ellipse-brain": 30 << 20,
    "medsam-test-random": 5 << 20,
}
RULES = {
    "medsam-tiny-brain": ("stretch", None),
    "medsam-conv32p-ellipse-brain": ("stretch", None),
    "medsam-test-random": ("stretch", None),
    "medsam-lite-test-random": ("litemedsam", "litemedsam"),
    "medsam-conv-test-random": ("stretch", None),
}


@pytest.mark.parametrize("bundle_id", sorted(BUNDLES))
def test_committed_bundle_contract(bundle_id):
    folder = BUNDLES[bundle_id]
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    assert manifest["id"] == bundle_id
    assert manifest["version"] == VERSIONS[bundle_id]
    assert (manifest["resize"], manifest.get("mask_rule")) == RULES[bundle_id]
    total = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
    assert total <= MAX_BYTES.get(bundle_id, 5 << 20)
    sam = load_sam_from_bundle(folder)  # strict: every weight is in the bundle's files
    check_decoder_onnx(
        os.path.join(folder, manifest["files"]["decoder"]), BoxDecoder(sam).state_dict()
    )
    c, h, w = manifest["embedding_shape"]
    s = manifest["image_size"]
    with torch.no_grad():
        emb = sam.image_encoder(torch.rand(1, 3, s, s))
        logits, iou = BoxDecoder(sam)(emb, torch.tensor([[0.1 * s, 0.1 * s, 0.5 * s, 0.6 * s]]))
    assert emb.shape == (1, c, h, w)
    assert logits.shape == (1, 1, manifest["low_res_size"], manifest["low_res_size"])


def test_demo_lineage_names_the_held_out_data():
    with open(os.path.join(BUNDLES["medsam-tiny-brain"], "manifest.json")) as f:
        lineage = json.load(f)["lineage"]
    assert len(lineage["held_out_labels"]) == 20
    assert lineage["held_out_axial_slab"] == [70, 90]
    assert len(lineage["source_checkpoint_sha256"]) == 64
    for reserved in ("inia19", "HarvardOxford", "JHU", "brodmann"):
        assert reserved in lineage["training_data"]  # named as not used


@pytest.mark.parametrize("bundle_id", sorted(BUNDLES))
def test_committed_onnx_graphs_compute_the_pytorch_model(bundle_id):
    # the graphs themselves, run by a small interpreter (tests/onnx_eval.py; ONNX Runtime is
    # not installable for Python here), against the PyTorch model rebuilt from the bundle
    import onnx_eval

    folder = BUNDLES[bundle_id]
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    sam = load_sam_from_bundle(folder)
    s = manifest["image_size"]
    images = torch.rand(2, 3, s, s, generator=torch.Generator().manual_seed(0))
    boxes = torch.tensor([[0.1 * s, 0.2 * s, 0.6 * s, 0.7 * s], [0.0, 0.0, s - 1.0, 0.5 * s]])
    with torch.no_grad():
        emb = sam.image_encoder(images)
        logits, iou = BoxDecoder(sam)(emb, boxes)
    enc = onnx_eval.run(os.path.join(folder, manifest["files"]["encoder"]), {"image": images})
    assert (enc["image_embeddings"] - emb).abs().max() < 1e-4
    dec = onnx_eval.run(
        os.path.join(folder, manifest["files"]["decoder"]),
        {"image_embeddings": emb, "boxes": boxes},
    )
    assert (dec["low_res_logits"] - logits).abs().max() < 1e-4
    assert (dec["iou_predictions"] - iou).abs().max() < 1e-4


def test_demo_v3_lineage_names_the_held_out_data():
    with open(os.path.join(BUNDLES["medsam-conv32p-ellipse-brain"], "manifest.json")) as f:
        lineage = json.load(f)["lineage"]
    assert lineage["held_out_atlas"] == "natbrainlab"
    assert len(lineage["held_out_aal"]) == 20 and len(lineage["held_out_aicha"]) == 24
    assert lineage["excluded_axial_planes"] == [64, 96]
    assert lineage["train_wall_minutes"] <= 60
    for reserved in ("inia19", "HarvardOxford", "JHU", "brodmann", "natbrainlab"):
        assert reserved in lineage["training_data"]  # named as not used or held out
