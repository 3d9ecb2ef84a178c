"""Composition of the three stages, and the box-prompted decoder the service exports."""

from typing import Tuple

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
    ) -> None:
        super().__init__()
        self.image_encoder = image_encoder
        self.prompt_encoder = prompt_encoder
        self.mask_decoder = mask_decoder

    @property
    def image_size(self) -> int:
        return self.image_encoder.img_size

    def forward(
        self, images: torch.Tensor, boxes: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """B x 3 x S x S images in [0, 1], B x 4 model-space boxes
        -> low-res logits B x 1 x L x L and IoU predictions B x 1."""
        return BoxDecoder(self)(self.image_encoder(images), boxes)


class BoxDecoder(nn.Module):
    """The exported decoder: (image_embeddings N x C x h x w, boxes N x 4)
    -> (low_res_logits N x 1 x L x L, iou_predictions N x 1).

    Holds the prompt encoder and the mask decoder under their SAM names, so its
    state_dict keys carry the prefixes "prompt_encoder." and "mask_decoder."."""

    def __init__(self, sam: Sam) -> None:
        super().__init__()
        self.prompt_encoder = sam.prompt_encoder
        self.mask_decoder = sam.mask_decoder

    def forward(
        self, image_embeddings: torch.Tensor, boxes: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        sparse, dense = self.prompt_encoder(boxes)
        masks, iou = self.mask_decoder(
            image_embeddings, self.prompt_encoder.get_dense_pe(), sparse, dense
        )
        return masks[:, 0:1, :, :], iou[:, 0:1]
