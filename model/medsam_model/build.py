"""Registry of model configurations; every entry calls the one private builder."""

from dataclasses import asdict, dataclass, field, replace
from math import prod
from typing import Callable, Dict, Optional, Sequence, Union

import torch
from torch import nn

from .conv_encoder import ConvEncoder
from .image_encoder import ImageEncoderViT
from .mask_decoder import MaskDecoder
from .prompt_encoder import PromptEncoder
from .sam import EllipsePrior, Sam
from .tiny_vit import TinyViT
from .transformer import TwoWayTransformer


class _ConfigBase:
    """What every configuration shares: L = 4 x the embedding grid, and the architecture fields
    as a dict (the manifest's rules, which are not architecture, left out; tuples as lists)."""

    @property
    def low_res_size(self) -> int:
        return 4 * self.grid

    def _architecture(self) -> dict:
        d = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        del d["resize"], d["mask_rule"]
        return d


@dataclass(frozen=True)
class ModelConfig(_ConfigBase):
    """Sizes that differ between variants (the rest is fixed in _build_sam)."""

    name: str
    image_size: int
    patch_size: int
    encoder_embed_dim: int
    encoder_depth: int
    encoder_num_heads: int
    encoder_global_attn_indexes: Sequence[int]
    window_size: int
    prompt_embed_dim: int
    transformer_mlp_dim: int
    transformer_num_heads: int
    # the bundle's manifest "resize" and "mask_rule" (preprocess.py); not part of as_dict()
    resize: str = field(default="stretch", compare=False)
    mask_rule: Optional[str] = field(default=None, compare=False)

    @property
    def grid(self) -> int:
        return self.image_size // self.patch_size

    def as_dict(self) -> dict:
        return self._architecture()


@dataclass(frozen=True)
class TinyViTConfig(_ConfigBase):
    """A LiteMedSAM-family variant: TinyViT image encoder (tiny_vit.py), SAM's prompt encoder
    and mask decoder. Embedding grid = image_size / prod(merge_strides)."""

    name: str
    image_size: int
    embed_dims: Sequence[int]
    depths: Sequence[int]
    num_heads: Sequence[int]
    window_sizes: Sequence[int]
    merge_strides: Sequence[int]
    prompt_embed_dim: int
    transformer_mlp_dim: int
    transformer_num_heads: int
    resize: str = field(default="litemedsam", compare=False)
    mask_rule: Optional[str] = field(default="litemedsam", compare=False)

    @property
    def grid(self) -> int:
        return self.image_size // prod(self.merge_strides)

    def as_dict(self) -> dict:
        d = self._architecture()
        d["encoder"] = "tiny_vit"
        return d


@dataclass(frozen=True)
class ConvConfig(_ConfigBase):
    """A convolutional-encoder variant (conv_encoder.py): strided Conv-BN stem and stages of
    dilated depthwise-separable residual blocks, SAM's neck, prompt encoder and mask decoder.
    Embedding grid = image_size / (stem_stride * prod(strides))."""

    name: str
    image_size: int
    stem_dim: int
    dims: Sequence[int]
    depths: Sequence[int]
    strides: Sequence[int]
    dilations: Sequence[Sequence[int]]
    expand: int
    prompt_embed_dim: int
    transformer_mlp_dim: int
    transformer_num_heads: int
    stem_stride: int = 2  # 2: 3 x 3 stride-2 stem; 4: 4 x 4 stride-4 patchify stem
    # > 0: the decoder adds an inscribed-ellipse logit prior of this scale (sam.EllipsePrior)
    ellipse_prior: float = 0.0
    resize: str = field(default="stretch", compare=False)
    mask_rule: Optional[str] = field(default=None, compare=False)

    @property
    def grid(self) -> int:
        return self.image_size // (self.stem_stride * prod(self.strides))

    def as_dict(self) -> dict:
        d = self._architecture()
        d["dilations"] = [list(x) for x in self.dilations]
        d["encoder"] = "conv"
        return d


AnyConfig = Union[ModelConfig, TinyViTConfig, ConvConfig]


def _image_encoder(cfg: AnyConfig) -> nn.Module:
    if isinstance(cfg, ConvConfig):
        return ConvEncoder(
            img_size=cfg.image_size,
            stem_dim=cfg.stem_dim,
            dims=cfg.dims,
            depths=cfg.depths,
            strides=cfg.strides,
            dilations=cfg.dilations,
            out_chans=cfg.prompt_embed_dim,
            expand=cfg.expand,
            stem_stride=cfg.stem_stride,
        )
    if isinstance(cfg, TinyViTConfig):
        return TinyViT(
            img_size=cfg.image_size,
            embed_dims=cfg.embed_dims,
            depths=cfg.depths,
            num_heads=cfg.num_heads,
            window_sizes=cfg.window_sizes,
            merge_strides=cfg.merge_strides,
            out_chans=cfg.prompt_embed_dim,
            mlp_ratio=4.0,
            mbconv_expand_ratio=4.0,
        )
    return ImageEncoderViT(
        img_size=cfg.image_size,
        patch_size=cfg.patch_size,
        embed_dim=cfg.encoder_embed_dim,
        depth=cfg.encoder_depth,
        num_heads=cfg.encoder_num_heads,
        global_attn_indexes=cfg.encoder_global_attn_indexes,
        window_size=cfg.window_size,
        out_chans=cfg.prompt_embed_dim,
        mlp_ratio=4.0,
    )


def _ellipse_prior(cfg: AnyConfig) -> Optional[EllipsePrior]:
    scale = getattr(cfg, "ellipse_prior", 0.0)
    return EllipsePrior(cfg.image_size, cfg.low_res_size, scale) if scale > 0 else None


def _build_sam(cfg: AnyConfig, checkpoint: Optional[str] = None) -> Sam:
    # Shared constants of the SAM family: two-way transformer depth 2, 3 multimask outputs
    # (+1 single mask), IoU head 3 x 256, mask prompt channels 16, MLP ratio 4.
    grid = cfg.grid
    sam = Sam(
        image_encoder=_image_encoder(cfg),
        prompt_encoder=PromptEncoder(
            embed_dim=cfg.prompt_embed_dim,
            image_embedding_size=(grid, grid),
            input_image_size=(cfg.image_size, cfg.image_size),
            mask_in_chans=16,
        ),
        mask_decoder=MaskDecoder(
            transformer_dim=cfg.prompt_embed_dim,
            transformer=TwoWayTransformer(
                depth=2,
                embedding_dim=cfg.prompt_embed_dim,
                num_heads=cfg.transformer_num_heads,
                mlp_dim=cfg.transformer_mlp_dim,
            ),
            num_multimask_outputs=3,
            iou_head_depth=3,
            iou_head_hidden_dim=256,
        ),
        box_prior=_ellipse_prior(cfg),
    )
    sam.eval()
    if checkpoint is not None:
        state = torch.load(checkpoint, map_location="cpu")
        if isinstance(state, dict) and "model" in state and "image_encoder.pos_embed" not in state:
            state = state["model"]
        sam.load_state_dict(state, strict=True)
    return sam


CONFIGS: Dict[str, AnyConfig] = {
    # MedSAM / SAM ViT-B: 1024 input, 64 x 64 x 256 embedding, 256 x 256 low-res logits
    "vit_b": ModelConfig(
        "vit_b", 1024, 16, 768, 12, 12, (2, 5, 8, 11), 14, 256, 2048, 8, "medsam", "medsam"
    ),
    # demo model trained on CPU: 16 x 16 x 128 embedding, 64 x 64 low-res logits
    "tiny": ModelConfig("tiny", 256, 16, 128, 4, 4, (1, 3), 8, 128, 1024, 4),
    # fixture for fast tests (committed random-init bundle, goldens): a few hundred kB
    "test": ModelConfig("test", 128, 16, 64, 2, 2, (1,), 4, 64, 256, 2),
    # LiteMedSAM: TinyViT on 256 x 256, 256 x 64 x 64 embedding, 256 x 256 low-res logits
    "lite": TinyViTConfig(
        "lite",
        256,
        (64, 128, 160, 320),
        (2, 2, 6, 2),
        (2, 4, 5, 10),
        (7, 7, 14, 7),
        (2, 2, 1),
        256,
        2048,
        8,
    ),
    # fixture for the LiteMedSAM family: same structure, quarter widths, fewer blocks;
    # 64 x 64 input, 64 x 16 x 16 embedding, L = S = 64 as in LiteMedSAM
    "lite_test": TinyViTConfig(
        "lite_test",
        64,
        (16, 32, 40, 80),
        (1, 1, 2, 1),
        (2, 4, 5, 10),
        (7, 7, 14, 7),
        (2, 2, 1),
        64,
        256,
        2,
    ),
    # demo v3 candidates (issue 14): convolutional encoder on 256 x 256, stem to 128 x 128,
    # stage 1 at 64 x 64, stage 2 at 32 x 32 (conv32: embedding 128 x 32 x 32, L = 128) or
    # everything at 64 x 64 (conv64: embedding 128 x 64 x 64, L = 256); decoder as `tiny`
    "conv32": ConvConfig(
        "conv32", 256, 32, (64, 128), (2, 4), (2, 2), ((1, 2), (1, 2, 4, 8)), 2, 128, 1024, 4
    ),
    "conv64": ConvConfig(
        "conv64", 256, 32, (64, 96), (2, 4), (2, 1), ((1, 2), (1, 2, 4, 8)), 2, 128, 1024, 4
    ),
    # conv32 with a 4 x 4 stride-4 patchify stem straight to 64 x 64 (no 128 x 128 stage), one
    # Conv-BN 3 x 3 stride 2 to 32 x 32 and six dilated blocks there: cheaper
    "conv32p": ConvConfig(
        "conv32p", 256, 48, (128,), (6,), (2,), ((1, 2, 4, 8, 1, 2),), 2, 128, 1024, 4, 4
    ),
    # fixture for the conv family: same structure, small widths, the ellipse prior; 64 x 64
    # input, 32 x 8 x 8 embedding, L = 32
    "conv_test": ConvConfig(
        "conv_test",
        64,
        8,
        (16, 32),
        (1, 2),
        (2, 2),
        ((1,), (1, 2)),
        2,
        32,
        128,
        2,
        ellipse_prior=4.0,
    ),
}


# conv32p whose decoder corrects an inscribed-ellipse logit prior (scale 4) instead of drawing
# each mask from nothing: demo bundle version 3
CONFIGS["conv32p-ellipse"] = replace(CONFIGS["conv32p"], name="conv32p-ellipse", ellipse_prior=4.0)


def build_sam(config: str, checkpoint: Optional[str] = None) -> Sam:
    """Builds a registered configuration, optionally loading a state_dict (strict)."""
    if config not in CONFIGS:
        raise ValueError(f"unknown config {config!r}; known: {sorted(CONFIGS)}")
    return _build_sam(CONFIGS[config], checkpoint)


sam_model_registry: Dict[str, Callable[..., Sam]] = {
    name: (lambda checkpoint=None, _n=name: build_sam(_n, checkpoint)) for name in CONFIGS
}
