"""A convolutional image encoder for CPU-trainable demo models (issue 14): a strided Conv-BN stem,
stages of residual depthwise-separable blocks (dilated depthwise 3 x 3 for context), SAM's neck.
It gives a finer embedding than a patch-16 ViT at a fraction of a ViT's cost at that grid.

Layout: stem Conv-BN 3 x 3 stride 2 + GELU (S -> S/2) -> per stage: Conv-BN 3 x 3 (stride 2 or 1)
+ GELU, then `depth` blocks -> neck (1 x 1 conv, LayerNorm2d, 3 x 3 conv, LayerNorm2d), as in
SAM's ViT and TinyViT. Block: x + Conv-BN 1 x 1 (project, BN weight 0 at init) of GELU(Conv-BN
1 x 1 (expand) of Conv-BN depthwise 3 x 3 (dilation d) of x). BatchNorm exports in eval mode
(bundle._export_encoder)."""

from typing import Sequence

import torch
from torch import nn

from .common import LayerNorm2d
from .tiny_vit import Conv2dBN


class DilatedBlock(nn.Module):
    """Residual block B x C x H x W -> same: depthwise 3 x 3 (dilation d) Conv-BN, 1 x 1 expand
    Conv-BN, GELU, 1 x 1 project Conv-BN (weight 0 at init: a fresh block is the identity)."""

    def __init__(self, dim: int, dilation: int, expand: int) -> None:
        super().__init__()
        self.dw = Conv2dBN(dim, dim, 3, 1, dilation, groups=dim)
        self.dw.c.dilation = (dilation, dilation)
        self.pw1 = Conv2dBN(dim, dim * expand)
        self.act = nn.GELU()
        self.pw2 = Conv2dBN(dim * expand, dim, bn_weight_init=0.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pw2(self.act(self.pw1(self.dw(x))))


class ConvEncoder(nn.Module):
    """B x 3 x S x S images in [0, 1] -> B x out_chans x S/r x S/r, r = stem_stride *
    prod(strides)."""

    def __init__(
        self,
        img_size: int,
        stem_dim: int,
        dims: Sequence[int],
        depths: Sequence[int],
        strides: Sequence[int],
        dilations: Sequence[Sequence[int]],
        out_chans: int,
        expand: int = 2,
        stem_stride: int = 2,
        in_chans: int = 3,
    ) -> None:
        super().__init__()
        if not (len(dims) == len(depths) == len(strides) == len(dilations)):
            raise ValueError("dims, depths, strides and dilations differ in length")
        self.img_size = img_size
        if stem_stride == 2:
            stem = Conv2dBN(in_chans, stem_dim, 3, 2, 1)
        else:  # patchify: non-overlapping stem_stride x stem_stride cells
            stem = Conv2dBN(in_chans, stem_dim, stem_stride, stem_stride, 0)
        self.stem = nn.Sequential(stem, nn.GELU())
        stages = []
        prev = stem_dim
        for dim, depth, stride, dil in zip(dims, depths, strides, dilations):
            layers = [Conv2dBN(prev, dim, 3, stride, 1), nn.GELU()]
            layers += [DilatedBlock(dim, dil[i % len(dil)], expand) for i in range(depth)]
            stages.append(nn.Sequential(*layers))
            prev = dim
        self.stages = nn.Sequential(*stages)
        self.neck = nn.Sequential(
            nn.Conv2d(prev, out_chans, kernel_size=1, bias=False),
            LayerNorm2d(out_chans),
            nn.Conv2d(out_chans, out_chans, kernel_size=3, padding=1, bias=False),
            LayerNorm2d(out_chans),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.neck(self.stages(self.stem(x)))
