"""Exports a random-init `test` model into a temporary bundle and checks the contract."""

import json
import os

import onnx
import pytest
import torch

from medsam_model import BoxDecoder, build_sam
from medsam_model.bundle import check_decoder_onnx, export_bundle, load_sam_from_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("bundle"))
    torch.manual_seed(3)
    sam = build_sam("test")
    manifest = export_bundle(sam, "test", out, "medsam-test", "7", None, "none (test)")
    return out, sam, manifest


def test_files_and_manifest(bundle):
    out, _, manifest = bundle
    for name in (
        "manifest.json",
        "encoder.onnx",
        "decoder.onnx",
        "decoder.onnx.data",
        "decoder.pt",
    ):
        assert os.path.getsize(os.path.join(out, name)) > 0, name
    with open(os.path.join(out, "manifest.json")) as f:
        on_disk = json.load(f)
    assert on_disk == manifest
    assert manifest["id"] == "medsam-test" and manifest["version"] == "7"
    assert manifest["image_size"] == 128 and manifest["resize"] == "stretch"
    assert "mask_rule" not in manifest  # bundles before issue 13 had none: "logits"
    assert manifest["embedding_shape"] == [64, 8, 8] and manifest["low_res_size"] == 32
    assert manifest["trainable_prefix"] == "mask_decoder."
    assert manifest["files"] == {
        "encoder": "encoder.onnx",
        "decoder": "decoder.onnx",
        "decoder_data": "decoder.onnx.data",
        "decoder_torchscript": "decoder.pt",
    }
    assert manifest["lineage"]["source_checkpoint_sha256"] == "random-init"


def test_every_decoder_initializer_is_external_and_a_state_dict_key(bundle):
    out, sam, manifest = bundle
    state = BoxDecoder(sam).state_dict()
    path = os.path.join(out, "decoder.onnx")
    check_decoder_onnx(path, state)  # raises on any violation
    model = onnx.load(path, load_external_data=False)
    names = [init.name for init in model.graph.initializer]
    assert names == [e["name"] for e in manifest["decoder_initializers"]]
    assert all(n.startswith(("prompt_encoder.", "mask_decoder.")) for n in names)
    # every weight the box path uses is injectable, including the fresh LayerNorm ones
    # (equal values) that the exporter would otherwise merge
    assert "mask_decoder.transformer.norm_final_attn.weight" in names
    assert "mask_decoder.transformer.layers.0.norm1.weight" in names
    assert "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix" in names
    for entry in manifest["decoder_initializers"]:
        assert entry["shape"] == list(state[entry["name"]].shape)
        assert entry["dtype"] == "float32"
    # external data holds exactly the listed tensors
    size = sum(4 * int(torch.tensor(e["shape"]).prod()) for e in manifest["decoder_initializers"])
    assert os.path.getsize(os.path.join(out, "decoder.onnx.data")) == size


def test_onnx_interfaces_and_lineage(bundle):
    out, _, _ = bundle
    enc = onnx.load(os.path.join(out, "encoder.onnx"))
    dec = onnx.load(os.path.join(out, "decoder.onnx"), load_external_data=False)
    onnx.checker.check_model(enc)
    assert [i.name for i in enc.graph.input] == ["image"]
    assert [o.name for o in enc.graph.output] == ["image_embeddings"]
    assert [i.name for i in dec.graph.input] == ["image_embeddings", "boxes"]
    assert [o.name for o in dec.graph.output] == ["low_res_logits", "iou_predictions"]
    for model in (enc, dec):
        assert model.opset_import[0].version == 17
        batch = model.graph.input[0].type.tensor_type.shape.dim[0]
        assert batch.dim_param == "N"
        meta = {p.key: p.value for p in model.metadata_props}
        assert meta["config"] == "test"
        assert meta["source_checkpoint_sha256"] == "random-init"
        assert meta["training_data"] == "none (test)"
        assert meta["git_commit"] and meta["producer"]


def test_torchscript_decoder_signature_and_names(bundle):
    out, sam, _ = bundle
    traced = torch.jit.load(os.path.join(out, "decoder.pt"))
    decoder = BoxDecoder(sam).eval()
    assert set(dict(traced.named_parameters())) == {n for n, _ in decoder.named_parameters()}
    emb = torch.randn(3, 64, 8, 8)
    boxes = torch.tensor([[1.0, 2, 50, 60], [10, 10, 100, 90], [0, 0, 127, 127]])
    with torch.no_grad():
        logits, iou = traced(emb, boxes)
        ref_logits, ref_iou = decoder(emb, boxes)
    assert logits.shape == (3, 1, 32, 32) and iou.shape == (3, 1)
    assert torch.allclose(logits, ref_logits, atol=1e-5)
    assert torch.allclose(iou, ref_iou, atol=1e-5)


def test_bundle_alone_rebuilds_the_model(bundle):
    out, sam, _ = bundle
    rebuilt = load_sam_from_bundle(out)
    for key, value in sam.state_dict().items():
        assert torch.equal(rebuilt.state_dict()[key], value), key
