"""TinyViT image encoder as LiteMedSAM uses it (MobileSAM's variant with a 1 x 1 stem, so that
stage 1 runs at the input resolution). Module and parameter names follow LiteMedSAM's
`tiny_vit_sam.py`, so `lite_medsam.pth` loads with strict=True.

Layout: stem (two 1 x 1 Conv-BN) -> stage 0 (MBConv blocks) -> patch merging -> stages 1..3
(windowed attention blocks with a depthwise Conv-BN between attention and MLP), each but
the last followed by patch merging (stride given per merge) -> neck (as in SAM's ViT)."""

import itertools
from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .common import LayerNorm2d


class Conv2dBN(nn.Sequential):
    """Convolution without bias followed by BatchNorm2d; state_dict names "c.*" and "bn.*"."""

    def __init__(
        self,
        in_chans: int,
        out_chans: int,
        kernel_size: int = 1,
        stride: int = 1,
        padding: int = 0,
        groups: int = 1,
        bn_weight_init: float = 1.0,
    ) -> None:
        super().__init__()
        self.add_module(
            "c",
            nn.Conv2d(in_chans, out_chans, kernel_size, stride, padding, groups=groups, bias=False),
        )
        bn = nn.BatchNorm2d(out_chans)
        nn.init.constant_(bn.weight, bn_weight_init)
        nn.init.constant_(bn.bias, 0.0)
        self.add_module("bn", bn)


class PatchEmbed(nn.Module):
    """B x 3 x S x S -> B x C0 x S x S: two 1 x 1 Conv-BN with a GELU between them."""

    def __init__(self, in_chans: int, embed_dim: int) -> None:
        super().__init__()
        self.seq = nn.Sequential(
            Conv2dBN(in_chans, embed_dim // 2), nn.GELU(), Conv2dBN(embed_dim // 2, embed_dim)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.seq(x)


class MBConv(nn.Module):
    """Inverted residual (B x C x H x W -> same): 1 x 1 expand, 3 x 3 depthwise, 1 x 1 project
    (its BN weight starts at 0, so a fresh block is the identity before the last GELU)."""

    def __init__(self, dim: int, expand_ratio: float) -> None:
        super().__init__()
        hidden = int(dim * expand_ratio)
        self.conv1 = Conv2dBN(dim, hidden)
        self.act1 = nn.GELU()
        self.conv2 = Conv2dBN(hidden, hidden, 3, 1, 1, groups=hidden)
        self.act2 = nn.GELU()
        self.conv3 = Conv2dBN(hidden, dim, bn_weight_init=0.0)
        self.act3 = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.act2(self.conv2(self.act1(self.conv1(x))))
        return self.act3(self.conv3(y) + x)


class PatchMerging(nn.Module):
    """B x C x H x W -> B x C' x H/s x W/s: 1 x 1 Conv-BN, GELU, 3 x 3 depthwise Conv-BN with
    stride s, GELU, 1 x 1 Conv-BN. LiteMedSAM uses s = 2 except into the last stage (s = 1)."""

    def __init__(self, dim: int, out_dim: int, stride: int) -> None:
        super().__init__()
        self.act = nn.GELU()
        self.conv1 = Conv2dBN(dim, out_dim)
        self.conv2 = Conv2dBN(out_dim, out_dim, 3, stride, 1, groups=out_dim)
        self.conv3 = Conv2dBN(out_dim, out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv3(self.act(self.conv2(self.act(self.conv1(x)))))


def _window_offsets(window: int) -> Tuple[int, torch.Tensor]:
    """Number of distinct (|dy|, |dx|) offsets in a window x window window, and the
    window^2 x window^2 index of each token pair's offset (in TinyViT's enumeration order)."""
    points = list(itertools.product(range(window), range(window)))
    offsets = {}
    idxs = []
    for p1 in points:
        for p2 in points:
            offset = (abs(p1[0] - p2[0]), abs(p1[1] - p2[1]))
            if offset not in offsets:
                offsets[offset] = len(offsets)
            idxs.append(offsets[offset])
    n = len(points)
    return len(offsets), torch.tensor(idxs, dtype=torch.long).view(n, n)


class Attention(nn.Module):
    """Multi-head self-attention over one window, B' x N x C -> B' x N x C (N = window^2),
    with a LayerNorm on the input and a learned bias per head and relative offset.

    The qkv projection is laid out per head as [q, k, v] (TinyViT's layout, unlike SAM's)."""

    def __init__(self, dim: int, num_heads: int, window: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim**-0.5
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        num_offsets, idxs = _window_offsets(window)
        self.attention_biases = nn.Parameter(torch.zeros(num_heads, num_offsets))
        # not in the state_dict (LiteMedSAM's is not persistent either); a graph constant
        self.register_buffer("attention_bias_idxs", idxs, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, _ = x.shape
        qkv = self.qkv(self.norm(x)).view(b, n, self.num_heads, 3 * self.head_dim)
        q, k, v = qkv.permute(0, 2, 1, 3).split(self.head_dim, dim=3)
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = attn + self.attention_biases[:, self.attention_bias_idxs]
        x = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, -1)
        return self.proj(x)


class Mlp(nn.Module):
    """LayerNorm, Linear, GELU, Linear (B x N x C -> B x N x C)."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(self.norm(x))))


class TinyViTBlock(nn.Module):
    """B x C x H x W -> same: windowed attention (the map is zero-padded bottom/right to a
    multiple of the window; padded tokens take part as keys, as in TinyViT), residual, 3 x 3
    depthwise Conv-BN, then MLP with residual."""

    def __init__(self, dim: int, num_heads: int, window: int, mlp_ratio: float) -> None:
        super().__init__()
        self.window = window
        self.attn = Attention(dim, num_heads, window)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.local_conv = Conv2dBN(dim, dim, 3, 1, 1, groups=dim)

    def _window_attention(self, x: torch.Tensor) -> torch.Tensor:
        """B x H x W x C -> same."""
        b, h, w, c = x.shape
        s = self.window
        pad_b, pad_r = (s - h % s) % s, (s - w % s) % s
        if pad_b or pad_r:
            x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
        ph, pw = h + pad_b, w + pad_r
        x = x.view(b, ph // s, s, pw // s, s, c).transpose(2, 3).reshape(-1, s * s, c)
        x = self.attn(x)
        x = x.view(b, ph // s, pw // s, s, s, c).transpose(2, 3).reshape(b, ph, pw, c)
        return x[:, :h, :w, :]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tokens = x.permute(0, 2, 3, 1)
        tokens = tokens + self._window_attention(tokens)
        x = self.local_conv(tokens.permute(0, 3, 1, 2))
        tokens = x.permute(0, 2, 3, 1)
        tokens = tokens + self.mlp(tokens)
        return tokens.permute(0, 3, 1, 2)


class ConvLayer(nn.Module):
    """Stage 0: MBConv blocks, then patch merging into stage 1."""

    def __init__(
        self, dim: int, depth: int, expand_ratio: float, out_dim: int, stride: int
    ) -> None:
        super().__init__()
        self.blocks = nn.ModuleList([MBConv(dim, expand_ratio) for _ in range(depth)])
        self.downsample = PatchMerging(dim, out_dim, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for blk in self.blocks:
            x = blk(x)
        return self.downsample(x)


class BasicLayer(nn.Module):
    """Stages 1..3: TinyViT blocks, then patch merging unless it is the last stage."""

    def __init__(
        self,
        dim: int,
        depth: int,
        num_heads: int,
        window: int,
        mlp_ratio: float,
        out_dim: int,
        stride: int,
        last: bool,
    ) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(
            [TinyViTBlock(dim, num_heads, window, mlp_ratio) for _ in range(depth)]
        )
        self.downsample = None if last else PatchMerging(dim, out_dim, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for blk in self.blocks:
            x = blk(x)
        return x if self.downsample is None else self.downsample(x)


class TinyViT(nn.Module):
    """B x 3 x S x S images in [0, 1] -> B x out_chans x S/r x S/r embeddings, r the product
    of the merge strides (LiteMedSAM: S = 256, strides 2, 2, 1, embedding 256 x 64 x 64)."""

    def __init__(
        self,
        img_size: int,
        embed_dims: Sequence[int],
        depths: Sequence[int],
        num_heads: Sequence[int],
        window_sizes: Sequence[int],
        merge_strides: Sequence[int],
        out_chans: int,
        mlp_ratio: float = 4.0,
        mbconv_expand_ratio: float = 4.0,
        in_chans: int = 3,
    ) -> None:
        super().__init__()
        if not (len(embed_dims) == len(depths) == len(num_heads) == len(window_sizes)):
            raise ValueError("embed_dims, depths, num_heads and window_sizes differ in length")
        if len(merge_strides) != len(embed_dims) - 1:
            raise ValueError("one merge stride per stage transition")
        self.img_size = img_size
        self.patch_embed = PatchEmbed(in_chans, embed_dims[0])
        n = len(embed_dims)
        self.layers = nn.ModuleList()
        for i in range(n):
            out_dim = embed_dims[min(i + 1, n - 1)]
            stride = merge_strides[min(i, n - 2)]
            if i == 0:
                layer = ConvLayer(embed_dims[0], depths[0], mbconv_expand_ratio, out_dim, stride)
            else:
                layer = BasicLayer(
                    embed_dims[i],
                    depths[i],
                    num_heads[i],
                    window_sizes[i],
                    mlp_ratio,
                    out_dim,
                    stride,
                    last=i == n - 1,
                )
            self.layers.append(layer)
        self.neck = nn.Sequential(
            nn.Conv2d(embed_dims[-1], out_chans, kernel_size=1, bias=False),
            LayerNorm2d(out_chans),
            nn.Conv2d(out_chans, out_chans, kernel_size=3, padding=1, bias=False),
            LayerNorm2d(out_chans),
        )
        self.apply(_init_weights)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(x)
        for layer in self.layers:
            x = layer(x)
        return self.neck(x)


def _init_weights(m: nn.Module) -> None:
    # TinyViT's initialisation (truncated normal linear weights); the Conv-BN pairs set
    # their own BatchNorm weights
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        nn.init.constant_(m.bias, 0.0)
    elif isinstance(m, nn.LayerNorm):
        nn.init.constant_(m.weight, 1.0)
        nn.init.constant_(m.bias, 0.0)
