"""Turns a checkpoint (or a random initialisation) and a configuration into a model bundle.

    /usr/bin/python3 model/export.py --config tiny|vit_b|test|lite|lite_test \
        (--checkpoint PATH | --random-init) [--seed N] --out DIR \
        [--id ID --version V --training-data TEXT]
"""

import argparse
import sys

import torch

from medsam_model.build import CONFIGS, build_sam
from medsam_model.bundle import export_bundle, sha256_of


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, choices=sorted(CONFIGS))
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--checkpoint", help="SAM/MedSAM/LiteMedSAM state_dict (.pth), loaded strict"
    )
    source.add_argument("--random-init", action="store_true")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random init")
    parser.add_argument("--out", required=True, help="bundle folder to write")
    parser.add_argument("--id", default=None, help="bundle id (default medsam-<config>, _ -> -)")
    parser.add_argument("--version", default="1")
    parser.add_argument("--training-data", default=None)
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    sam = build_sam(args.config, checkpoint=args.checkpoint)
    if args.checkpoint:
        source_hash = sha256_of(args.checkpoint)
        training = args.training_data or "unknown (see the checkpoint's provenance)"
    else:
        source_hash = None
        training = args.training_data or f"none (random init, seed {args.seed})"
    manifest = export_bundle(
        sam,
        args.config,
        args.out,
        bundle_id=args.id or "medsam-" + args.config.replace("_", "-"),
        version=args.version,
        source_checkpoint=source_hash,
        training_data=training,
        extra_lineage={"seed": args.seed} if args.random_init else None,
    )
    print(f"wrote bundle {manifest['id']} v{manifest['version']} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
