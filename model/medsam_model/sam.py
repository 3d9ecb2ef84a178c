"""Composition of the three stages, and the box-prompted decoder the service exports."""

from typing import Optional, Tuple

import torch
from torch import nn

from .image_encoder import ImageEncoderViT
from .mask_decoder import MaskDecoder
from .prompt_encoder import PromptEncoder


class Sam(nn.Module):
    """Image encoder + prompt encoder + mask decoder; state_dict keys as in SAM/MedSAM."""

    def __init__(
        self,
        image_encoder: ImageEncoderViT,
        prompt_encoder: PromptEncoder,
        mask_decoder: MaskDecoder,
        box_prior: Optional["EllipsePrior"] = None,
    ) -> None:
        super().__init__()
        self.image_encoder = image_encoder
        self.prompt_encoder = prompt_encoder
        self.mask_decoder = mask_decoder
        self.box_prior = box_prior

    @property
    def image_size(self) -> int:
        return self.image_encoder.img_size

    def forward(
        self, images: torch.Tensor, boxes: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """B x 3 x S x S images in [0, 1], B x 4 model-space boxes
        -> low-res logits B x 1 x L x L and IoU predictions B x 1."""
        return BoxDecoder(self)(self.image_encoder(images), boxes)


class EllipsePrior(nn.Module):
    """A shape prior added to the decoder's logits: scale x max(1 - r^2, -1) on the low-res grid,
    r^2 = ((u - cx) / a)^2 + ((v - cy) / b)^2 for the ellipse inscribed in the box (inclusive
    pixel box: a = (x1 - x0 + 1) / 2). Zero on the ellipse, +scale at its centre, -scale from
    sqrt(2) radii out. No parameters: the decoder learns a correction to the ellipse, which is
    what a box alone says about a blob-like structure (SAM and MedSAM have no such term)."""

    def __init__(self, image_size: int, low_res: int, scale: float) -> None:
        super().__init__()
        self.image_size, self.low_res, self.scale = image_size, low_res, scale

    def forward(self, boxes: torch.Tensor) -> torch.Tensor:
        """N x 4 model-space boxes -> N x 1 x L x L logits."""
        step = self.image_size / self.low_res
        # centres of the low-res cells in model-space pixel coordinates (pixel i at i)
        centres = torch.arange(self.low_res, dtype=boxes.dtype) * step + (step - 1) / 2
        x0, y0, x1, y1 = boxes[:, 0:1], boxes[:, 1:2], boxes[:, 2:3], boxes[:, 3:4]
        dx = (centres.unsqueeze(0) - (x0 + x1) / 2) / ((x1 - x0 + 1) / 2).clamp(min=0.5)
        dy = (centres.unsqueeze(0) - (y0 + y1) / 2) / ((y1 - y0 + 1) / 2).clamp(min=0.5)
        r2 = dy.unsqueeze(2) ** 2 + dx.unsqueeze(1) ** 2
        return (self.scale * (1 - r2).clamp(min=-1)).unsqueeze(1)


class BoxDecoder(nn.Module):
    """The exported decoder: (image_embeddings N x C x h x w, boxes N x 4)
    -> (low_res_logits N x 1 x L x L, iou_predictions N x 1).

    Holds the prompt encoder and the mask decoder under their SAM names, so its
    state_dict keys carry the prefixes "prompt_encoder." and "mask_decoder."."""

    def __init__(self, sam: Sam) -> None:
        super().__init__()
        self.prompt_encoder = sam.prompt_encoder
        self.mask_decoder = sam.mask_decoder
        self.box_prior = sam.box_prior

    def forward(
        self, image_embeddings: torch.Tensor, boxes: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        sparse, dense = self.prompt_encoder(boxes)
        masks, iou = self.mask_decoder(
            image_embeddings, self.prompt_encoder.get_dense_pe(), sparse, dense
        )
        logits = masks[:, 0:1, :, :]
        if self.box_prior is not None:
            logits = logits + self.box_prior(boxes)
        return logits, iou[:, 0:1]
