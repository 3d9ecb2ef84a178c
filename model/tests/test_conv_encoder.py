"""The convolutional encoder family (demo v3, issue 14): shapes, and the export of an encoder with
dilated depthwise convolutions and BatchNorm (inference form, bundle alone rebuilds it)."""

import os

import onnx
import pytest
import torch

from make_goldens import randomize_batchnorm
from medsam_model import BoxDecoder
from medsam_model.build import CONFIGS, build_sam
from medsam_model.bundle import export_bundle, load_sam_from_bundle


@pytest.mark.parametrize("name,grid", [("conv32", 32), ("conv64", 64), ("conv_test", 8)])
def test_conv_configs_give_their_grid(name, grid):
    cfg = CONFIGS[name]
    assert cfg.grid == grid and cfg.low_res_size == 4 * grid
    assert (cfg.resize, cfg.mask_rule) == ("stretch", None)
    torch.manual_seed(0)
    sam = build_sam(name)
    s = cfg.image_size
    with torch.no_grad():
        emb = sam.image_encoder(torch.rand(2, 3, s, s))
        logits, iou = BoxDecoder(sam)(emb, torch.tensor([[1.0, 2, s / 2, s / 3], [0, 0, s, s]]))
    assert emb.shape == (2, cfg.prompt_embed_dim, grid, grid)
    assert logits.shape == (2, 1, 4 * grid, 4 * grid) and iou.shape == (2, 1)


def test_conv32_parameter_count_and_as_dict():
    sam = build_sam("conv32")
    assert sum(p.numel() for p in sam.parameters()) == 1_652_704
    assert sum(p.numel() for p in sam.image_encoder.parameters()) == 563_616
    d = CONFIGS["conv32"].as_dict()
    assert d["encoder"] == "conv" and d["dilations"] == [[1, 2], [1, 2, 4, 8]]


@pytest.fixture(scope="module")
def conv_bundle(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("conv_bundle"))
    torch.manual_seed(5)
    sam = build_sam("conv_test")
    randomize_batchnorm(sam.image_encoder, 6)
    manifest = export_bundle(sam, "conv_test", out, "medsam-conv-test", "1", None, "none")
    return out, sam, manifest


def test_conv_encoder_batchnorm_and_dilations_export(conv_bundle):
    out, sam, manifest = conv_bundle
    assert manifest["embedding_shape"] == [32, 8, 8] and manifest["low_res_size"] == 32
    model = onnx.load(os.path.join(out, "encoder.onnx"))
    onnx.checker.check_model(model)
    bns = [n for n in model.graph.node if n.op_type == "BatchNormalization"]
    modules = [m for m in sam.image_encoder.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(bns) == len(modules) == 12
    for node in bns:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        assert attrs["training_mode"] == 0 and len(node.output) == 1
    dilations = sorted(
        tuple(onnx.helper.get_attribute_value(a))
        for n in model.graph.node
        if n.op_type == "Conv"
        for a in n.attribute
        if a.name == "dilations"
    )
    assert (2, 2) in dilations
    names = {init.name for init in model.graph.initializer}
    assert names == {k for k in sam.image_encoder.state_dict() if "num_batches" not in k}


def test_conv_bundle_alone_rebuilds_the_model_and_onnx_equals_eval(conv_bundle):
    import onnx_eval

    out, sam, _ = conv_bundle
    rebuilt = load_sam_from_bundle(out)
    for key, value in sam.state_dict().items():
        if not key.endswith("num_batches_tracked"):
            assert torch.equal(rebuilt.state_dict()[key], value), key
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = sam.image_encoder.eval()(x)
        assert torch.equal(rebuilt.image_encoder(x), expected)
        in_train_mode = build_sam("conv_test")
        in_train_mode.load_state_dict(sam.state_dict())
        assert (in_train_mode.image_encoder.train()(x) - expected).abs().max() > 1e-2
    got = onnx_eval.run(os.path.join(out, "encoder.onnx"), {"image": x})["image_embeddings"]
    assert got.shape == (2, 32, 8, 8)
    assert (got - expected).abs().max() < 1e-5
