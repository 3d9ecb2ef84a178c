"""Seconds per training step (forward, Dice + BCE, backward, Adam) of a registered config on
random inputs: `images` slices x `boxes` prompts per slice, median of the timed steps.

    /usr/bin/python3 model/bench_train_step.py --config conv32 [--threads 1] [--images 8]
        [--boxes 4] [--steps 5]                                # one JSON line
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from medsam_model.build import CONFIGS, build_sam
from medsam_model.sam import BoxDecoder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, choices=sorted(CONFIGS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--images", type=int, default=8)
    parser.add_argument("--boxes", type=int, default=4)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    cfg = CONFIGS[args.config]
    s, low = cfg.image_size, cfg.low_res_size
    sam = build_sam(args.config).train()
    decoder = BoxDecoder(sam)
    opt = torch.optim.Adam(sam.parameters(), lr=1e-4)
    images = torch.rand(args.images, 3, s, s)
    n = args.images * args.boxes
    boxes = torch.tensor([[0.2 * s, 0.3 * s, 0.6 * s, 0.7 * s]] * n)
    target = (torch.rand(n, 1, low, low) > 0.5).float()
    times = []
    for i in range(args.warmup + args.steps):
        t = time.perf_counter()
        emb = sam.image_encoder(images).repeat_interleave(args.boxes, dim=0)
        logits, _ = decoder(emb, boxes)
        loss = F.binary_cross_entropy_with_logits(logits, target) + torch.sigmoid(logits).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= args.warmup:
            times.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "config": args.config,
                "threads": args.threads,
                "images": args.images,
                "boxes": args.boxes,
                "embedding": [cfg.prompt_embed_dim, cfg.grid, cfg.grid],
                "parameters": sum(p.numel() for p in sam.parameters()),
                "s_per_step_median": round(statistics.median(times), 3),
                "s_per_step_min": round(min(times), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
