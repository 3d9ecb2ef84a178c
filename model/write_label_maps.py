"""Writes permitted label maps on ch2's grid, for choosing the trainer's settings (issue 15) on
targets the demo model never trained: natbrainlab (the held-out atlas) and the held-out labels of
AICHAmc and AAL, each as a NIfTI with ch2's affine (`./medsam finetune-demo --labels FILE`).

    /usr/bin/python3 model/write_label_maps.py --out /tmp/labels
"""

import argparse
import os
import sys

import nibabel as nib
import numpy as np

from medsam_model import demo_data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for the .nii.gz files")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    brain = demo_data.load_brain_v3(second_image=False)
    affine = nib.load(demo_data.CH2).affine
    maps = {"natbrainlab": brain.atlases["natbrainlab"]}
    for atlas in ("aal", "aicha"):
        lab = brain.atlases[atlas]
        maps[f"{atlas}-unseen"] = np.where(np.isin(lab, brain.unseen[atlas]), lab, 0)
    for name, lab in maps.items():
        path = os.path.join(args.out, f"{name}-ch2.nii.gz")
        nib.save(nib.Nifti1Image(lab.astype(np.int16), affine), path)
        print(f"{path}: {len(np.unique(lab)) - 1} labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
