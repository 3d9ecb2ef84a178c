"""Regenerates trainer-worker/src/test/resources/toy-bundle: a tiny SAM-shaped box-prompted
decoder exported as TorchScript, with a manifest in the bundle format of docs/architecture.md §2.

It stands in for model/testdata/tiny-random-bundle in the trainer's own tests: same signature
(image_embeddings N x C x h x w, boxes N x 4 in S-space -> low_res_logits N x 1 x L x L,
iou_predictions N x 1) and the same state_dict prefixes (prompt_encoder., mask_decoder.).
The bundle has no ONNX files: the trainer reads it with ModelBundle.readForTraining, which
checks every manifest field but, of the files, needs only decoder.pt.

Run with Debian's interpreter:  /usr/bin/python3 make_toy_bundle.py OUT_DIR
"""

import json
import math
import sys
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

EMBED_DIM = 16
GRID = 8
IMAGE_SIZE = 32
LOW_RES = 4 * GRID


class PositionEmbeddingRandom(nn.Module):
    """Random Fourier features of normalized (x, y) coordinates, as in SAM."""

    def __init__(self, num_pos_feats: int) -> None:
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", torch.randn(2, num_pos_feats))

    def encode(self, coords: torch.Tensor) -> torch.Tensor:
        """coords ... x 2 in [0, 1] -> ... x 2F."""
        coords = 2 * coords - 1
        coords = coords @ self.positional_encoding_gaussian_matrix
        coords = 2 * math.pi * coords
        return torch.cat([torch.sin(coords), torch.cos(coords)], dim=-1)

    def grid(self, size: int) -> torch.Tensor:
        """-> C x size x size."""
        ones = torch.ones((size, size))
        y = (ones.cumsum(dim=0) - 0.5) / size
        x = (ones.cumsum(dim=1) - 0.5) / size
        return self.encode(torch.stack([x, y], dim=-1)).permute(2, 0, 1)


class PromptEncoder(nn.Module):
    """Box corners -> 2 sparse tokens; dense 'no mask' embedding; image positional grid."""

    def __init__(self) -> None:
        super().__init__()
        self.pe_layer = PositionEmbeddingRandom(EMBED_DIM // 2)
        self.point_embeddings = nn.ModuleList([nn.Embedding(1, EMBED_DIM) for _ in range(2)])
        self.no_mask_embed = nn.Embedding(1, EMBED_DIM)
        self.image_size = IMAGE_SIZE
        self.grid_size = GRID

    def forward(self, boxes: torch.Tensor):
        corners = (boxes.reshape(-1, 2, 2) + 0.5) / self.image_size
        sparse = self.pe_layer.encode(corners)
        sparse = torch.stack(
            [sparse[:, 0] + self.point_embeddings[0].weight[0],
             sparse[:, 1] + self.point_embeddings[1].weight[0]],
            dim=1,
        )
        dense = self.no_mask_embed.weight.reshape(1, -1, 1, 1)
        return sparse, dense, self.pe_layer.grid(self.grid_size).unsqueeze(0)


class MaskDecoder(nn.Module):
    """Token MLP + dot product with positional image features, upscaled 4x."""

    def __init__(self) -> None:
        super().__init__()
        c = EMBED_DIM
        self.token_mlp = nn.Sequential(nn.Linear(2 * c, c), nn.ReLU(), nn.Linear(c, c))
        self.mix = nn.Conv2d(2 * c, c, kernel_size=3, padding=1)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose2d(c, c // 2, kernel_size=2, stride=2),
            nn.GELU(),
            nn.ConvTranspose2d(c // 2, c // 4, kernel_size=2, stride=2),
            nn.GELU(),
        )
        self.mask_head = nn.Conv2d(c // 4, 1, kernel_size=1)
        self.iou_prediction_head = nn.Sequential(nn.Linear(c, c), nn.ReLU(), nn.Linear(c, 1))

    def forward(self, image_embeddings, image_pe, sparse, dense):
        token = self.token_mlp(sparse.flatten(1))
        features = image_embeddings + dense + image_pe
        attention = (features * token[:, :, None, None]).sum(dim=1, keepdim=True)
        mixed = torch.cat([features, features * torch.sigmoid(attention)], dim=1)
        upscaled = self.output_upscaling(F.gelu(self.mix(mixed)))
        return self.mask_head(upscaled), self.iou_prediction_head(token)


class ToyDecoder(nn.Module):
    """(image_embeddings N x C x h x w, boxes N x 4) -> (N x 1 x L x L, N x 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.prompt_encoder = PromptEncoder()
        self.mask_decoder = MaskDecoder()

    def forward(self, image_embeddings: torch.Tensor, boxes: torch.Tensor):
        sparse, dense, image_pe = self.prompt_encoder(boxes)
        return self.mask_decoder(image_embeddings, image_pe, sparse, dense)


def main(out_dir: Path) -> None:
    torch.manual_seed(7)
    model = ToyDecoder().eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    scripted = torch.jit.script(model)
    scripted.save(str(out_dir / "decoder.pt"))
    logits, iou = scripted(torch.zeros(2, EMBED_DIM, GRID, GRID), torch.tensor([[4.0, 4, 20, 20]] * 2))
    assert logits.shape == (2, 1, LOW_RES, LOW_RES) and iou.shape == (2, 1)
    manifest = {
        "id": "toy-decoder",
        "version": "toy-1",
        "config": "toy",
        "image_size": IMAGE_SIZE,
        "resize": "stretch",
        "embedding_shape": [EMBED_DIM, GRID, GRID],
        "low_res_size": LOW_RES,
        "files": {"decoder_torchscript": "decoder.pt"},
        "trainable_prefix": "mask_decoder.",
        "decoder_initializers": [
            {"name": k, "shape": list(v.shape), "dtype": "float32"}
            for k, v in model.state_dict().items()
        ],
        "lineage": {"producer": "trainer-worker/src/test/python/make_toy_bundle.py", "seed": 7},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
