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
    "medsam-test-random": os.path.join(MODEL_DIR, "testdata", "tiny-random-bundle"),
    "medsam-lite-test-random": os.path.join(MODEL_DIR, "testdata", "lite-random-bundle"),
}
VERSIONS = {"medsam-tiny-brain": "2", "medsam-test-random": "1", "medsam-lite-test-random": "1"}
# the Java parity tests load these; the lite fixture must stay under 5 MB
MAX_BYTES = {"medsam-tiny-brain": 30 << 20, "medsam-test-random": 5 << 20}
RULES = {
    "medsam-tiny-brain": ("stretch", None),
    "medsam-test-random": ("stretch", None),
    "medsam-lite-test-random": ("litemedsam", "litemedsam"),
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
