"""Parameter counts, SAM state_dict naming and forward shapes."""

import torch

from medsam_model import CONFIGS, BoxDecoder, build_sam


def _count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_vit_b_parameter_counts_match_medsam():
    sam = build_sam("vit_b")
    assert _count(sam) == 93_735_472
    assert _count(sam.image_encoder) == 89_670_912
    # "mask decoder" in MedSAM's count means mask_decoder.* only; the exported decoder
    # (prompt encoder + mask decoder) holds 6,220 more parameters and a 2 x 128 buffer.
    assert _count(sam.mask_decoder) == 4_058_340
    assert _count(sam.prompt_encoder) == 6_220
    assert _count(BoxDecoder(sam)) == 4_064_560


def test_vit_b_state_dict_names_and_shapes():
    state = build_sam("vit_b").state_dict()
    expected = {
        "image_encoder.pos_embed": (1, 64, 64, 768),
        "image_encoder.patch_embed.proj.weight": (768, 3, 16, 16),
        "image_encoder.blocks.0.attn.rel_pos_h": (27, 64),
        "image_encoder.blocks.2.attn.rel_pos_w": (127, 64),
        "image_encoder.blocks.11.mlp.lin1.weight": (3072, 768),
        "image_encoder.neck.0.weight": (256, 768, 1, 1),
        "image_encoder.neck.3.bias": (256,),
        "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix": (2, 128),
        "prompt_encoder.point_embeddings.3.weight": (1, 256),
        "prompt_encoder.mask_downscaling.6.weight": (256, 16, 1, 1),
        "prompt_encoder.no_mask_embed.weight": (1, 256),
        "mask_decoder.transformer.layers.1.cross_attn_image_to_token.q_proj.weight": (128, 256),
        "mask_decoder.transformer.final_attn_token_to_image.out_proj.weight": (256, 128),
        "mask_decoder.transformer.layers.0.mlp.lin1.weight": (2048, 256),
        "mask_decoder.output_upscaling.0.weight": (256, 64, 2, 2),
        "mask_decoder.output_upscaling.3.weight": (64, 32, 2, 2),
        "mask_decoder.output_hypernetworks_mlps.3.layers.2.weight": (32, 256),
        "mask_decoder.iou_prediction_head.layers.2.weight": (4, 256),
        "mask_decoder.mask_tokens.weight": (4, 256),
    }
    for name, shape in expected.items():
        assert tuple(state[name].shape) == shape, name
    prefixes = {k.split(".")[0] for k in state}
    assert prefixes == {"image_encoder", "prompt_encoder", "mask_decoder"}
    assert len(state) == 314  # 177 + 17 + 120


def test_state_dict_round_trips_strict(tmp_path):
    for name in ("tiny", "test"):
        torch.manual_seed(1)
        src = build_sam(name)
        path = tmp_path / f"{name}.pth"
        torch.save(src.state_dict(), path)
        dst = build_sam(name, checkpoint=str(path))
        for key, value in src.state_dict().items():
            assert torch.equal(dst.state_dict()[key], value), key


def test_forward_shapes():
    for name in ("tiny", "test"):
        cfg = CONFIGS[name]
        sam = build_sam(name)
        s, g, c = cfg.image_size, cfg.grid, cfg.prompt_embed_dim
        with torch.no_grad():
            emb = sam.image_encoder(torch.rand(2, 3, s, s))
            assert emb.shape == (2, c, g, g)
            logits, iou = BoxDecoder(sam)(emb, torch.tensor([[1.0, 2, 30, 40], [0, 0, s, s]]))
        assert logits.shape == (2, 1, cfg.low_res_size, cfg.low_res_size)
        assert iou.shape == (2, 1)


def test_window_padding_when_grid_not_multiple_of_window():
    from medsam_model.image_encoder import ImageEncoderViT

    enc = ImageEncoderViT(96, 16, 32, 2, 2, (1,), 4, 16)  # 6 x 6 grid, 4 x 4 windows
    assert enc(torch.rand(1, 3, 96, 96)).shape == (1, 16, 6, 6)


def test_configs_declare_their_reference_rules():
    from medsam_model.preprocess import MASK_RULES, RESIZE_RULES

    rules = {name: (cfg.resize, cfg.mask_rule) for name, cfg in CONFIGS.items()}
    assert rules == {
        "vit_b": ("medsam", "medsam"),
        "tiny": ("stretch", None),  # the demo bundle: bilinear, logits > 0 (no field)
        "test": ("stretch", None),
        "lite": ("litemedsam", "litemedsam"),
        "lite_test": ("litemedsam", "litemedsam"),
        "conv32": ("stretch", None),  # demo v3 candidates: the demo bundle's rules
        "conv32p": ("stretch", None),
        "conv32p-ellipse": ("stretch", None),
        "conv64": ("stretch", None),
        "conv_test": ("stretch", None),
    }
    for resize, mask_rule in rules.values():
        assert resize in RESIZE_RULES and mask_rule in MASK_RULES + (None,)
    # the rules are not part of model_config (ONNX metadata of existing bundles unchanged)
    assert "resize" not in CONFIGS["test"].as_dict()
    assert "mask_rule" not in CONFIGS["lite"].as_dict()
