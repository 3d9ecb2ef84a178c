"""Prompt encoder: random Fourier positional encoding of box corners (SAM paper, sec. 3)."""

from typing import Tuple

import numpy as np
import torch
from torch import nn

from .common import LayerNorm2d


class PositionEmbeddingRandom(nn.Module):
    """Maps coordinates in [0, 1]^2 to 2*F features sin/cos(2*pi * (2x-1) @ G), G ~ N(0, 1)."""

    def __init__(self, num_pos_feats: int, scale: float = 1.0) -> None:
        super().__init__()
        self.register_buffer(
            "positional_encoding_gaussian_matrix", scale * torch.randn((2, num_pos_feats))
        )

    def _encode(self, coords: torch.Tensor) -> torch.Tensor:
        """... x 2 normalised coordinates -> ... x 2F features."""
        coords = (2 * coords - 1) @ self.positional_encoding_gaussian_matrix
        coords = 2 * np.pi * coords
        return torch.cat([torch.sin(coords), torch.cos(coords)], dim=-1)

    def forward(self, size: Tuple[int, int]) -> torch.Tensor:
        """Dense encoding of pixel centres of an h x w grid -> 2F x h x w."""
        h, w = size
        ones = torch.ones((h, w), device=self.positional_encoding_gaussian_matrix.device)
        y = (ones.cumsum(dim=0) - 0.5) / h
        x = (ones.cumsum(dim=1) - 0.5) / w
        return self._encode(torch.stack([x, y], dim=-1)).permute(2, 0, 1)

    def forward_with_coords(
        self, coords: torch.Tensor, image_size: Tuple[int, int]
    ) -> torch.Tensor:
        """B x K x 2 pixel coordinates (x, y) in an image of image_size (H, W) -> B x K x 2F."""
        # not in place, so that the traced/exported graph has no index_put
        scale = torch.tensor([float(image_size[1]), float(image_size[0])], device=coords.device)
        return self._encode(coords.to(torch.float) / scale)


class PromptEncoder(nn.Module):
    """Encodes box prompts into sparse tokens and supplies the dense (no-mask) embedding.

    Point and mask prompts keep their parameters (so SAM checkpoints load) but the service
    only uses boxes, as MedSAM does."""

    def __init__(
        self,
        embed_dim: int,
        image_embedding_size: Tuple[int, int],
        input_image_size: Tuple[int, int],
        mask_in_chans: int = 16,
    ) -> None:
        super().__init__()
        self.embed_dim = embed_dim
        self.image_embedding_size = image_embedding_size
        self.input_image_size = input_image_size
        self.pe_layer = PositionEmbeddingRandom(embed_dim // 2)
        # 0/1: negative/positive point, 2/3: top-left/bottom-right box corner
        self.point_embeddings = nn.ModuleList(nn.Embedding(1, embed_dim) for _ in range(4))
        self.not_a_point_embed = nn.Embedding(1, embed_dim)
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, mask_in_chans // 4, kernel_size=2, stride=2),
            LayerNorm2d(mask_in_chans // 4),
            nn.GELU(),
            nn.Conv2d(mask_in_chans // 4, mask_in_chans, kernel_size=2, stride=2),
            LayerNorm2d(mask_in_chans),
            nn.GELU(),
            nn.Conv2d(mask_in_chans, embed_dim, kernel_size=1),
        )
        self.no_mask_embed = nn.Embedding(1, embed_dim)

    def get_dense_pe(self) -> torch.Tensor:
        """Positional encoding of the embedding grid: 1 x C x h x w."""
        return self.pe_layer(self.image_embedding_size).unsqueeze(0)

    def embed_boxes(self, boxes: torch.Tensor) -> torch.Tensor:
        """B x 4 boxes (x0, y0, x1, y1) in model space -> B x 2 x C corner tokens."""
        corners = (boxes + 0.5).reshape(-1, 2, 2)
        embedding = self.pe_layer.forward_with_coords(corners, self.input_image_size)
        top_left = embedding[:, 0, :] + self.point_embeddings[2].weight
        bottom_right = embedding[:, 1, :] + self.point_embeddings[3].weight
        return torch.stack([top_left, bottom_right], dim=1)

    def forward(self, boxes: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """B x 4 boxes -> sparse B x 2 x C and dense B x C x h x w (the no-mask embedding)."""
        sparse = self.embed_boxes(boxes)
        h, w = self.image_embedding_size
        dense = self.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(boxes.shape[0], -1, h, w)
        return sparse, dense
