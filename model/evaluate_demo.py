"""Evaluates a bundle on the demo's held-out sets and writes the bundle README table.

    /usr/bin/python3 model/evaluate_demo.py [--bundle model/bundles/medsam-tiny-brain]

Protocol (docs/architecture.md §3): axial slices; on each slice one box per 8-connected component
(>= 100 px) of the target, the tight box of the component; predictions of a target's boxes
are united per slice; DSC and NSD (1 mm, voxel spacing) per target in 3D over the stacked
slices; mean over targets. Sets: (a) seen regions on the held-out axial slab, (b) the 20
held-out (unseen) regions on every axial slice. Baseline: the ellipse inscribed in each box.
The PyTorch model is rebuilt from the bundle's own files (encoder.onnx initializers +
decoder.pt); ONNX Runtime parity with it is tested in the Java build.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from medsam_model.brain_data import (
    HELD_OUT_LABELS,
    HELD_OUT_SLAB,
    MIN_COMPONENT,
    components,
    label_names,
    load_brain,
)
from medsam_model.bundle import load_sam_from_bundle
from medsam_model.metrics import dice, inscribed_ellipse, normalized_surface_distance
from medsam_model.preprocess import (
    box_of_mask,
    box_to_model_for,
    extract_slice,
    mask_for,
    model_input_for,
    slice_spacing,
)
from medsam_model.sam import BoxDecoder

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BUNDLE = os.path.join(HERE, "bundles", "medsam-tiny-brain")
AXIS = "axial"


class Segmenter:
    """Runs the bundle's model on one slice and a list of original-space boxes, with the
    bundle's resize and mask rules (manifest "resize", "mask_rule")."""

    def __init__(self, bundle: str) -> None:
        self.sam = load_sam_from_bundle(bundle)
        self.decoder = BoxDecoder(self.sam).eval()
        self.size = self.sam.image_size
        with open(os.path.join(bundle, "manifest.json")) as f:
            manifest = json.load(f)
        self.resize = manifest.get("resize", "stretch")
        self.mask_rule = manifest.get("mask_rule", "logits")

    @torch.no_grad()
    def __call__(self, pixels: np.ndarray, boxes) -> np.ndarray:
        h, w = pixels.shape
        emb = self.sam.image_encoder(model_input_for(pixels, self.resize, self.size))
        model_boxes = np.stack([box_to_model_for(b, h, w, self.size, self.resize) for b in boxes])
        logits, _ = self.decoder(emb.expand(len(boxes), -1, -1, -1), torch.from_numpy(model_boxes))
        _, masks = mask_for(logits[:, 0], h, w, self.size, self.resize, self.mask_rule)
        return masks.astype(bool)


def evaluate_set(segmenter, t1, labels, spacing, targets, slices) -> dict:
    """Per-target 3D DSC/NSD for the model and the ellipse baseline over the given slices."""
    spacing3 = (spacing[2],) + slice_spacing(spacing, AXIS)  # stacked: (k, row, col)
    gt = {t: [] for t in targets}
    pred = {t: [] for t in targets}
    ell = {t: [] for t in targets}
    n_boxes = 0
    for k in slices:
        pixels = np.ascontiguousarray(extract_slice(t1, AXIS, k))
        lab = extract_slice(labels, AXIS, k)
        h, w = pixels.shape
        prompts = []
        for t in targets:
            comps = components(lab == t, MIN_COMPONENT)
            gt[t].append(np.any(comps, axis=0) if comps else np.zeros((h, w), bool))
            prompts += [(t, box_of_mask(c)) for c in comps]
        masks = segmenter(pixels, [b for _, b in prompts]) if prompts else []
        n_boxes += len(prompts)
        for t in targets:
            pred[t].append(np.zeros((h, w), bool))
            ell[t].append(np.zeros((h, w), bool))
        for (t, box), mask in zip(prompts, masks):
            pred[t][-1] |= mask
            ell[t][-1] |= inscribed_ellipse(box, h, w)
    rows = {}
    for t in targets:
        g = np.stack(gt[t])
        if not g.any():
            continue
        p, e = np.stack(pred[t]), np.stack(ell[t])
        rows[t] = {
            "model_dsc": dice(p, g),
            "model_nsd": normalized_surface_distance(p, g, spacing3, 1.0),
            "ellipse_dsc": dice(e, g),
            "ellipse_nsd": normalized_surface_distance(e, g, spacing3, 1.0),
            "voxels": int(g.sum()),
        }
    means = {m: float(np.mean([r[m] for r in rows.values()])) for m in next(iter(rows.values()))}
    means.pop("voxels")
    return {
        "targets": len(rows),
        "slices": len(slices),
        "boxes": n_boxes,
        "mean": means,
        "per_target": {int(t): r for t, r in rows.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default=DEFAULT_BUNDLE)
    # 1: on a shared, oversubscribed machine two OpenMP threads were several times slower than one
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.time()

    t1, labels, spacing = load_brain()
    segmenter = Segmenter(args.bundle)
    held = set(HELD_OUT_LABELS)
    z0, z1 = HELD_OUT_SLAB
    slab = list(range(z0, z1))
    seen = sorted(int(v) for v in np.unique(labels[:, :, z0:z1]) if v and int(v) not in held)
    axial_with_unseen = [
        k for k in range(labels.shape[2]) if np.isin(labels[:, :, k], list(held)).any()
    ]
    results = {
        "bundle": os.path.relpath(args.bundle, os.getcwd()),
        "seen_heldout_slab": evaluate_set(segmenter, t1, labels, spacing, seen, slab),
        "unseen_regions": evaluate_set(
            segmenter, t1, labels, spacing, sorted(held), axial_with_unseen
        ),
    }
    results["seconds"] = round(time.time() - start, 1)
    with open(os.path.join(args.bundle, "evaluation.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    write_readme(args.bundle, results)
    print(table(results))
    return 0


def table(results: dict) -> str:
    lines = [
        "| held-out set | targets | slices | boxes | model DSC | ellipse DSC | model NSD (1 mm)"
        " | ellipse NSD (1 mm) | DSC gain |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, title in (
        ("seen_heldout_slab", "seen regions, held-out axial slab"),
        ("unseen_regions", "20 unseen regions, all axial slices"),
    ):
        r = results[key]
        m = r["mean"]
        lines.append(
            f"| {title} | {r['targets']} | {r['slices']} | {r['boxes']} | {m['model_dsc']:.3f}"
            f" | {m['ellipse_dsc']:.3f} | {m['model_nsd']:.3f} | {m['ellipse_nsd']:.3f}"
            f" | {m['model_dsc'] - m['ellipse_dsc']:+.3f} |"
        )
    return "\n".join(lines)


def verdict(results: dict) -> str:
    gains = [
        results[k]["mean"]["model_dsc"] - results[k]["mean"]["ellipse_dsc"]
        for k in ("seen_heldout_slab", "unseen_regions")
    ]
    return "met" if min(gains) >= 0.10 else f"missed (DSC gains {gains[0]:+.3f}, {gains[1]:+.3f})"


def write_readme(bundle: str, results: dict) -> None:
    with open(os.path.join(bundle, "manifest.json")) as f:
        manifest = json.load(f)
    names = label_names()
    lineage = manifest["lineage"]
    unseen = ", ".join(f"{t} {names.get(t, '?')}" for t in HELD_OUT_LABELS)
    per_unseen = results["unseen_regions"]["per_target"]
    unseen_rows = "\n".join(
        f"| {t} {names.get(int(t), '?')} | {r['model_dsc']:.3f} | {r['ellipse_dsc']:.3f} |"
        f" {r['model_nsd']:.3f} | {r['ellipse_nsd']:.3f} |"
        for t, r in sorted(per_unseen.items(), key=lambda kv: int(kv[0]))
    )
    text = README_TEMPLATE.format(
        id=manifest["id"],
        version=manifest["version"],
        config=manifest["config"],
        image_size=manifest["image_size"],
        embedding=manifest["embedding_shape"],
        low_res=manifest["low_res_size"],
        training_data=lineage.get("training_data", "?"),
        train_command=lineage.get("command", "/usr/bin/python3 model/train_demo.py"),
        steps=lineage.get("steps", "?"),
        wall=lineage.get("train_wall_minutes", "?"),
        unseen=unseen,
        slab=f"[{HELD_OUT_SLAB[0]}, {HELD_OUT_SLAB[1]})",
        table=table(results),
        unseen_rows=unseen_rows,
        seconds=results["seconds"],
        verdict=verdict(results),
    )
    with open(os.path.join(bundle, "README.md"), "w") as f:
        f.write(text)


README_TEMPLATE = """# {id} (version {version})

A `{config}` member of the SAM/MedSAM family (S = {image_size}, embedding {embedding},
low-res logits {low_res} x {low_res}) trained from scratch on CPU for the MedSAM Stream demo.
It is small and trained on one brain: it demonstrates the service, it is not a clinical model.

- Training data: {training_data}
- Held-out (unseen) AAL labels: {unseen}.
- Held-out slab: axial slices k in {slab}.
- Training: `{train_command}` ({steps} steps, {wall} min on the shared 2-core machine).
- Files: `manifest.json` (lineage included), `encoder.onnx`, `decoder.onnx` +
  `decoder.onnx.data`, `decoder.pt`; `evaluation.json` holds the per-target numbers.

## Evaluation

Produced by `/usr/bin/python3 model/evaluate_demo.py` ({seconds} s). Protocol (docs/architecture.md §3):
axial slices, one tight box per 8-connected ground-truth component of at least 100 px, the
predictions of a target's boxes united per slice, DSC and NSD (tolerance 1 mm, voxel spacing;
boundary-voxel NSD) per target in 3D over the stacked slices, mean over targets. Baseline:
the ellipse inscribed in each box. No subsampling. Model run in PyTorch from the bundle's
own weights (ONNX Runtime parity with PyTorch is tested in the Java build).

{table}

Target (model beats the ellipse by at least 0.10 DSC on both sets): **{verdict}**.
See `model/README.md` ("Demo model") for a discussion of the result.

Unseen regions, per target:

| region | model DSC | ellipse DSC | model NSD | ellipse NSD |
|---|---|---|---|---|
{unseen_rows}
"""


if __name__ == "__main__":
    sys.exit(main())
