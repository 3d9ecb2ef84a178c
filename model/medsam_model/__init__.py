"""MedSAM-family model (SAM architecture) and its bundle toolchain."""

from .build import CONFIGS, ModelConfig, build_sam, sam_model_registry
from .sam import BoxDecoder, Sam

__all__ = ["CONFIGS", "ModelConfig", "build_sam", "sam_model_registry", "BoxDecoder", "Sam"]
