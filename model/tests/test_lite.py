"""LiteMedSAM family: parameter counts, LiteMedSAM state_dict naming, forward shapes, and the
export of an encoder with BatchNorm."""

import copy
import json
import os

import onnx
import pytest
import torch

from make_goldens import randomize_batchnorm
from medsam_model import CONFIGS, BoxDecoder, build_sam
from medsam_model.bundle import ExportError, check_encoder_onnx, export_bundle
from medsam_model.bundle import load_sam_from_bundle


def _count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.fixture(scope="module")
def lite():
    return build_sam("lite")


def test_lite_parameter_counts_match_litemedsam(lite):
    assert _count(lite) == 9_791_300
    assert _count(lite.image_encoder) == 5_726_740
    assert _count(lite.prompt_encoder) == 6_220
    assert _count(lite.mask_decoder) == 4_058_340


def test_lite_state_dict_names_and_shapes(lite):
    # names and shapes as LiteMedSAM's tiny_vit_sam.py (MobileSAM's TinyViT, 1 x 1 stem,
    # stride 1 into the last stage) builds them
    state = lite.state_dict()
    expected = {
        "image_encoder.patch_embed.seq.0.c.weight": (32, 3, 1, 1),
        "image_encoder.patch_embed.seq.0.bn.running_var": (32,),
        "image_encoder.patch_embed.seq.2.c.weight": (64, 32, 1, 1),
        "image_encoder.layers.0.blocks.1.conv1.c.weight": (256, 64, 1, 1),
        "image_encoder.layers.0.blocks.1.conv2.c.weight": (256, 1, 3, 3),
        "image_encoder.layers.0.blocks.1.conv3.bn.weight": (64,),
        "image_encoder.layers.0.downsample.conv1.c.weight": (128, 64, 1, 1),
        "image_encoder.layers.0.downsample.conv2.c.weight": (128, 1, 3, 3),
        "image_encoder.layers.1.blocks.0.attn.attention_biases": (4, 49),
        "image_encoder.layers.1.blocks.0.attn.qkv.weight": (384, 128),
        "image_encoder.layers.1.blocks.0.attn.norm.weight": (128,),
        "image_encoder.layers.1.blocks.0.mlp.norm.bias": (128,),
        "image_encoder.layers.1.blocks.0.mlp.fc1.weight": (512, 128),
        "image_encoder.layers.1.blocks.0.local_conv.c.weight": (128, 1, 3, 3),
        "image_encoder.layers.2.blocks.5.attn.attention_biases": (5, 196),
        "image_encoder.layers.2.downsample.conv3.c.weight": (320, 320, 1, 1),
        "image_encoder.layers.3.blocks.1.attn.attention_biases": (10, 49),
        "image_encoder.layers.3.blocks.1.attn.proj.weight": (320, 320),
        "image_encoder.neck.0.weight": (256, 320, 1, 1),
        "image_encoder.neck.2.weight": (256, 256, 3, 3),
        "image_encoder.neck.3.bias": (256,),
        "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix": (2, 128),
        "mask_decoder.output_upscaling.0.weight": (256, 64, 2, 2),
    }
    for name, shape in expected.items():
        assert tuple(state[name].shape) == shape, name
    assert "image_encoder.layers.3.downsample.conv1.c.weight" not in state
    assert "image_encoder.layers.1.blocks.0.attn.attention_bias_idxs" not in state
    prefixes = {k.split(".")[0] for k in state}
    assert prefixes == {"image_encoder", "prompt_encoder", "mask_decoder"}
    assert sum(k.startswith("image_encoder.") for k in state) == 298
    assert sum(k.endswith("num_batches_tracked") for k in state) == 27
    assert len(state) == 435  # 298 + 17 + 120


def test_lite_strides_give_a_64_x_64_embedding(lite):
    cfg = CONFIGS["lite"]
    assert (cfg.image_size, cfg.grid, cfg.low_res_size) == (256, 64, 256)
    assert (cfg.resize, cfg.mask_rule) == ("litemedsam", "litemedsam")
    strides = [layer.downsample.conv2.c.stride for layer in lite.image_encoder.layers[:3]]
    assert strides == [(2, 2), (2, 2), (1, 1)]


def test_lite_test_round_trip_and_shapes(tmp_path):
    cfg = CONFIGS["lite_test"]
    torch.manual_seed(1)
    src = build_sam("lite_test")
    torch.save(src.state_dict(), tmp_path / "lite_test.pth")
    dst = build_sam("lite_test", checkpoint=str(tmp_path / "lite_test.pth"))
    for key, value in src.state_dict().items():
        assert torch.equal(dst.state_dict()[key], value), key
    s, g, c = cfg.image_size, cfg.grid, cfg.prompt_embed_dim
    assert (s, g, cfg.low_res_size) == (64, 16, 64)
    with torch.no_grad():
        emb = dst.image_encoder(torch.rand(2, 3, s, s))
        logits, iou = BoxDecoder(dst)(emb, torch.tensor([[1.0, 2, 30, 40], [0, 0, s, s]]))
    assert emb.shape == (2, c, g, g)
    assert logits.shape == (2, 1, s, s) and iou.shape == (2, 1)


@pytest.fixture(scope="module")
def lite_bundle(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("lite_bundle"))
    torch.manual_seed(5)
    sam = build_sam("lite_test")
    randomize_batchnorm(sam.image_encoder, 6)
    manifest = export_bundle(sam, "lite_test", out, "medsam-lite-test", "1", None, "none")
    return out, sam, manifest


def test_lite_manifest_declares_the_reference_rules(lite_bundle):
    out, _, manifest = lite_bundle
    with open(os.path.join(out, "manifest.json")) as f:
        assert json.load(f) == manifest
    assert manifest["resize"] == "litemedsam" and manifest["mask_rule"] == "litemedsam"
    assert manifest["image_size"] == 64 and manifest["low_res_size"] == 64
    assert manifest["embedding_shape"] == [64, 16, 16]


def test_encoder_batchnorm_exports_in_inference_form(lite_bundle):
    out, sam, _ = lite_bundle
    model = onnx.load(os.path.join(out, "encoder.onnx"))
    onnx.checker.check_model(model)
    bns = [n for n in model.graph.node if n.op_type == "BatchNormalization"]
    modules = [m for m in sam.image_encoder.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(bns) == len(modules) == 18
    for node in bns:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        assert attrs["training_mode"] == 0 and len(node.output) == 1
        assert node.input[3].endswith(".running_mean") and node.input[4].endswith(".running_var")
    # no Conv-BN folding, no merged weights: initializers are the state_dict without counters
    names = {init.name for init in model.graph.initializer}
    state = sam.image_encoder.state_dict()
    assert names == {k for k in state if not k.endswith("num_batches_tracked")}
    assert not any(n.op_type == "Identity" for n in model.graph.node)
    assert [o.name for o in model.graph.output] == ["image_embeddings"]
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "N"


def test_encoder_export_mode_computes_eval_batchnorm(lite_bundle):
    # the export traces the module in the mixed mode (train, BatchNorm eval); a trace in the
    # same mode must give the eval outputs, and plain train mode must not
    _, sam, _ = lite_bundle
    encoder = sam.image_encoder
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        expected = encoder.eval()(x)
        encoder.train()
        for m in encoder.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.eval()
        traced = torch.jit.trace(encoder, (x,), check_trace=False)
        got = traced(x)
        # a copy: a train-mode forward updates the running statistics
        in_train_mode = copy.deepcopy(encoder).train()(x)
        encoder.eval()
    assert (got - expected).abs().max() < 1e-5
    assert (in_train_mode - expected).abs().max() > 1e-2


def test_check_encoder_onnx_rejects_training_batchnorm(lite_bundle, tmp_path):
    out, sam, _ = lite_bundle
    model = onnx.load(os.path.join(out, "encoder.onnx"))
    node = next(n for n in model.graph.node if n.op_type == "BatchNormalization")
    for attr in node.attribute:
        if attr.name == "training_mode":
            attr.i = 1
    path = str(tmp_path / "bad.onnx")
    onnx.save(model, path)
    with pytest.raises(ExportError, match="training form"):
        check_encoder_onnx(path, sam.image_encoder)


def test_lite_bundle_alone_rebuilds_the_model(lite_bundle):
    out, sam, _ = lite_bundle
    rebuilt = load_sam_from_bundle(out)
    for key, value in sam.state_dict().items():
        if key.endswith("num_batches_tracked"):
            continue  # not exported: only used when training with momentum=None
        assert torch.equal(rebuilt.state_dict()[key], value), key
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(rebuilt.image_encoder(x), sam.image_encoder.eval()(x))


def test_encoder_onnx_graph_equals_pytorch_eval(lite_bundle):
    # the exported graph itself (run by tests/onnx_eval.py, an interpreter of the ONNX spec)
    # against the eval-mode module, with BatchNorm statistics far from 0/1, at batch 2
    import onnx_eval

    out, sam, _ = lite_bundle
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = sam.image_encoder.eval()(x)
    got = onnx_eval.run(os.path.join(out, "encoder.onnx"), {"image": x})["image_embeddings"]
    assert got.shape == (2, 64, 16, 16)
    assert (got - expected).abs().max() < 1e-5


def test_export_cli_takes_a_litemedsam_state_dict(tmp_path):
    import export

    torch.manual_seed(7)
    src = build_sam("lite_test")
    torch.save(src.state_dict(), tmp_path / "lite.pth")
    out = tmp_path / "bundle"
    argv = ["--config", "lite_test", "--checkpoint", str(tmp_path / "lite.pth"), "--out", str(out)]
    assert export.main(argv) == 0
    with open(out / "manifest.json") as f:
        manifest = json.load(f)
    assert manifest["id"] == "medsam-lite-test"
    assert (manifest["resize"], manifest["mask_rule"]) == ("litemedsam", "litemedsam")
    assert len(manifest["lineage"]["source_checkpoint_sha256"]) == 64
    rebuilt = load_sam_from_bundle(str(out))
    for key, value in src.state_dict().items():
        if not key.endswith("num_batches_tracked"):
            assert torch.equal(rebuilt.state_dict()[key], value), key
