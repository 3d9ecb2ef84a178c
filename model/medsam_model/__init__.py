"""MedSAM-family models (SAM architecture; ViT or TinyViT image encoder) and their bundle
toolchain."""

from .build import CONFIGS, ModelConfig, TinyViTConfig, build_sam, sam_model_registry
from .sam import BoxDecoder, Sam

__all__ = [
    "CONFIGS",
    "ModelConfig",
    "TinyViTConfig",
    "build_sam",
    "sam_model_registry",
    "BoxDecoder",
    "Sam",
]
