"""Scores bundles on demo v3's three held-out sets (issue 14), model vs the box-inscribed ellipse,
DSC and NSD at 1 mm, as a markdown table (and JSON).

    /usr/bin/python3 model/evaluate_v3.py --bundle model/bundles/medsam-tiny-brain \\
        [--bundle DIR ...] [--checkpoint CONFIG:STATE_DICT.pth ...] [--sets a,b,c] [--json F]

A --checkpoint (e.g. one a running train_demo.py saves every 200 steps) is scored without
exporting it, with its config's rules.

Sets (medsam_model/demo_data.py; images: ch2, axial slices only):
- (a) trained labels of AAL and AICHAmc on the held-out axial slab [70, 90) (no training voxel
  in [64, 96));
- (b) the held-out labels of AAL (20) and AICHAmc (24) on every axial slice where they occur;
- (c) natbrainlab (32 tracts), the held-out atlas, on every axial slice where it has labels:
  the set on which candidates are chosen.
Protocol as evaluate_demo.py (the paper's): one tight box per 8-connected component >= 100 px,
predictions of a target's boxes united per slice, 3D DSC and NSD (1 mm) per target, mean over
targets; rows "(a) all" and "(b) all" average over the targets of both atlases.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from evaluate_demo import Segmenter, evaluate_set
from medsam_model.build import CONFIGS, build_sam
from medsam_model.demo_data import eval_targets, load_brain_v3
from medsam_model.sam import BoxDecoder


class CheckpointSegmenter(Segmenter):
    """A Segmenter on a state_dict file of a registered config (no bundle)."""

    def __init__(self, spec: str) -> None:  # pylint: disable=super-init-not-called
        config, path = spec.split(":", 1)
        self.sam = build_sam(config, checkpoint=path).eval()
        self.decoder = BoxDecoder(self.sam).eval()
        self.size = self.sam.image_size
        self.resize = CONFIGS[config].resize
        self.mask_rule = CONFIGS[config].mask_rule or "logits"


TITLES = {
    "a_aal": "(a) AAL seen regions, held-out slab",
    "a_aicha": "(a) AICHAmc seen regions, held-out slab",
    "b_aal": "(b) AAL unseen regions",
    "b_aicha": "(b) AICHAmc unseen regions",
    "c_natbrainlab": "(c) natbrainlab (held-out atlas)",
}
METRICS = ("model_dsc", "ellipse_dsc", "model_nsd", "ellipse_nsd")


def pooled(results: dict, keys) -> dict:
    rows = [r for k in keys if k in results for r in results[k]["per_target"].values()]
    return {
        "targets": len(rows),
        "slices": "",
        "boxes": sum(results[k]["boxes"] for k in keys if k in results),
        "mean": {m: float(np.mean([r[m] for r in rows])) for m in METRICS},
    }


def table(results: dict) -> str:
    lines = [
        "| set | targets | slices | boxes | model DSC | ellipse DSC | model NSD | ellipse NSD"
        " | DSC gain | NSD gain |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = []
    for letter in ("a", "b", "c"):
        keys = [k for k in TITLES if k.startswith(letter + "_") and k in results]
        rows += [(TITLES[k], results[k]) for k in keys]
        if len(keys) > 1:
            rows.append((f"**({letter}) all**", pooled(results, keys)))
    for title, r in rows:
        m = r["mean"]
        lines.append(
            f"| {title} | {r['targets']} | {r['slices']} | {r['boxes']} | {m['model_dsc']:.3f}"
            f" | {m['ellipse_dsc']:.3f} | {m['model_nsd']:.3f} | {m['ellipse_nsd']:.3f}"
            f" | {m['model_dsc'] - m['ellipse_dsc']:+.3f} | {m['model_nsd'] - m['ellipse_nsd']:+.3f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", action="append", default=[])
    parser.add_argument("--checkpoint", action="append", default=[], help="CONFIG:PATH")
    parser.add_argument("--sets", default="a,b,c", help="comma-separated letters")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", default=None, help="write all results here")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    letters = set(args.sets.split(","))
    start = time.time()
    brain = load_brain_v3(second_image=False)
    t1 = brain.images["ch2"]
    sets = {k: v for k, v in eval_targets(brain).items() if k[0] in letters}
    everything = {}
    models = [(os.path.relpath(b, os.getcwd()), Segmenter, b) for b in args.bundle]
    models += [(c, CheckpointSegmenter, c) for c in args.checkpoint]
    for name, kind, source in models:
        segmenter = kind(source)
        results = {}
        for key, spec in sets.items():
            labels = brain.atlases[spec["atlas"]]
            results[key] = evaluate_set(
                segmenter, t1, labels, brain.spacing, spec["targets"], spec["slices"]
            )
        results["seconds"] = round(time.time() - start, 1)
        everything[name] = results
        print(f"\n{name} ({results['seconds']} s)")
        print(table(results), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(everything, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
