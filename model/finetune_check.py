"""Fine-tunes a bundle's mask decoder in PyTorch the way the Java trainer does (Adam, squared
soft Dice + BCE on the low-res logits against area-resampled targets, batch 8, boxes jittered
outwards by 0..J px of a 1024 px side) on one label map's axial slices of ch2, and prints what the
steps do to the boxes the decoder is served with (own tight box, no jitter): the loss over all fit
pairs and the mean Dice of the fit, validation and held-out blocks.

    /usr/bin/python3 model/finetune_check.py --labels /tmp/labels/natbrainlab-ch2.nii.gz \\
        [--bundle DIR] [--fit 40-62 --val 64-70 --held 72-79] [--lr 1e-5] [--jitter 20] \\
        [--steps 25] [--every 5]

Label maps: model/write_label_maps.py (permitted atlases only; never Brodmann's scored slabs or
a reserved file). Issue 15's finding: with jitter 20 every Adam step, down to lr 1e-5, raised the
served-box loss from the first step, on both demo bundles; with jitter 0 it fell.
"""

import argparse
import json
import os
import random
import sys

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F

from medsam_model.brain_data import components, load_brain
from medsam_model.bundle import load_sam_from_bundle
from medsam_model.preprocess import (
    box_of_mask,
    box_to_model_for,
    extract_slice,
    mask_for,
    model_input_for,
)
from medsam_model.sam import BoxDecoder

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BUNDLE = os.path.join(HERE, "bundles", "medsam-conv32p-ellipse-brain")
BATCH = 8
SMOOTH = 1e-5


def slab(text: str) -> range:
    first, last = (int(v) for v in text.split("-"))
    return range(first, last + 1)


class Replica:
    """The decoder of a bundle with the pairs (slice, tight box, mask) of a label map."""

    def __init__(self, bundle: str, labels: str) -> None:
        self.sam = load_sam_from_bundle(bundle).eval()
        self.decoder = BoxDecoder(self.sam)
        with open(os.path.join(bundle, "manifest.json")) as f:
            self.resize = json.load(f).get("resize", "stretch")
        self.size = self.sam.image_size
        self.t1, _, _ = load_brain()
        self.labels = np.asarray(nib.load(labels).dataobj).astype(np.int32)
        self.embeddings = {}

    def embedding(self, k: int) -> torch.Tensor:
        """C x h x w of axial slice k, rounded through float16 as the embeddings topic carries it."""
        if k not in self.embeddings:
            pixels = np.ascontiguousarray(extract_slice(self.t1, "axial", k))
            with torch.no_grad():
                x = model_input_for(pixels, self.resize, self.size)
                self.embeddings[k] = self.sam.image_encoder(x)[0].half().float()
        return self.embeddings[k]

    def pairs(self, slices) -> list:
        out = []
        for k in slices:
            lab = extract_slice(self.labels, "axial", k)
            for t in np.unique(lab):
                if t != 0:
                    out += [(k, box_of_mask(c), c) for c in components(lab == t)]
        return out

    def logits(self, pairs, boxes) -> torch.Tensor:
        h, w = pairs[0][2].shape
        emb = torch.stack([self.embedding(k) for k, _, _ in pairs])
        model_boxes = [box_to_model_for(b, h, w, self.size, self.resize) for b in boxes]
        logits, _ = self.decoder(emb, torch.from_numpy(np.stack(model_boxes)).float())
        return logits

    @staticmethod
    def loss(logits: torch.Tensor, masks) -> torch.Tensor:
        """Mean over pairs of squared soft Dice loss + BCE, as trainer's SegmentationLoss."""
        low = logits.shape[-1]
        target = torch.cat(
            [
                F.interpolate(
                    torch.from_numpy(m.astype(np.float32))[None, None], (low, low), mode="area"
                )
                for m in masks
            ]
        )
        p = torch.sigmoid(logits)
        inter = (p * target).sum((1, 2, 3))
        denom = (p * p).sum((1, 2, 3)) + (target * target).sum((1, 2, 3))
        dice = 1 - (2 * inter + SMOOTH) / (denom + SMOOTH)
        bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean((1, 2, 3))
        return dice + bce

    @torch.no_grad()
    def served(self, pairs) -> tuple:
        """(mean loss, mean Dice of the served masks) on the pairs' own boxes."""
        losses, dices = [], []
        for i in range(0, len(pairs), 32):
            chunk = pairs[i : i + 32]
            logits = self.logits(chunk, [b for _, b, _ in chunk])
            losses += self.loss(logits, [m for _, _, m in chunk]).tolist()
            h, w = chunk[0][2].shape
            _, masks = mask_for(logits[:, 0], h, w, self.size, self.resize, "logits")
            for pred, (_, _, truth) in zip(masks.astype(bool), chunk):
                dices.append(2 * (pred & truth).sum() / (pred.sum() + truth.sum()))
        return float(np.mean(losses)), float(np.mean(dices))


def jittered(box, h: int, w: int, jitter: float, rng: random.Random):
    jx, jy = jitter * w / 1024, jitter * h / 1024
    x0, y0, x1, y1 = box
    return (
        max(0, x0 - round(rng.uniform(0, jx))),
        max(0, y0 - round(rng.uniform(0, jy))),
        min(w - 1, x1 + round(rng.uniform(0, jx))),
        min(h - 1, y1 + round(rng.uniform(0, jy))),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", default=DEFAULT_BUNDLE)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--fit", default="40-62")
    parser.add_argument("--val", default="64-70")
    parser.add_argument("--held", default="72-79")
    parser.add_argument("--lr", type=float, default=1e-5)
    parser.add_argument("--jitter", type=float, default=20.0)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if "brodmann" in os.path.basename(args.labels).lower():
        sys.exit("Brodmann is the fine-tuning demonstration's scored atlas: choose on another")
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    replica = Replica(args.bundle, args.labels)
    fit, val, held = (replica.pairs(slab(s)) for s in (args.fit, args.val, args.held))
    print(f"pairs: fit {len(fit)}, validation {len(val)}, held-out {len(held)}")
    params = list(replica.sam.mask_decoder.parameters())
    for p in replica.sam.parameters():
        p.requires_grad_(False)
    for p in params:
        p.requires_grad_(True)
    adam = torch.optim.Adam(params, lr=args.lr)

    def report(step: int) -> None:
        loss, fit_dice = replica.served(fit)
        _, val_dice = replica.served(val)
        _, held_dice = replica.served(held)
        print(
            f"step {step:4d}  served-box loss {loss:.4f}  Dice fit {fit_dice:.4f}"
            f"  validation {val_dice:.4f}  held-out {held_dice:.4f}",
            flush=True,
        )

    report(0)
    order = []
    for step in range(1, args.steps + 1):
        if len(order) < BATCH:
            order += rng.sample(range(len(fit)), len(fit))
        batch, order = [fit[i] for i in order[:BATCH]], order[BATCH:]
        h, w = batch[0][2].shape
        boxes = [jittered(b, h, w, args.jitter, rng) for _, b, _ in batch]
        loss = replica.loss(replica.logits(batch, boxes), [m for _, _, m in batch]).mean()
        adam.zero_grad()
        loss.backward()
        adam.step()
        if step % args.every == 0:
            report(step)
    return 0


if __name__ == "__main__":
    sys.exit(main())
