"""Writes model/testdata/reference/: outputs of the reference preprocessing and mask rules,
computed with the libraries the reference scripts use (skimage for MedSAM's resize, OpenCV
for LiteMedSAM's, PyTorch for the mask rules), for the Java implementation and
medsam_model/preprocess.py to be tested against. Schema: model/testdata/README.md.

    apt-get install python3-skimage python3-opencv   # dev/setup installs them
    /usr/bin/python3 model/make_reference_goldens.py
"""

import json
import os
import shutil
import sys

import cv2
import numpy as np
import scipy
import skimage
import torch
import torch.nn.functional as F
from skimage import transform

from make_goldens import CH2, CH2_AXIAL_INDEX, GoldenWriter
from medsam_model.preprocess import (
    extract_slice,
    load_volume,
    normalize_intensity,
    percentile_window,
)

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE_DIR = os.path.join(HERE, "testdata", "reference")
TINY_GOLDEN = os.path.join(HERE, "testdata", "golden")
AMBIGUOUS = 1e-4  # values this close to the threshold are not compared

# (name, height, width, size) per rule; "ch2" is the real slice (217 x 181)
MEDSAM_CASES = [
    ("ch2", 217, 181, 1024),  # MedSAM's own size; enlarging, no anti-aliasing
    ("ch2", 217, 181, 128),  # shrinking both axes: Gaussian prefilter active
    ("synth_64x48", 64, 48, 256),
    ("synth_5x300", 5, 300, 256),  # sigma 0.086 on the columns: kernel radius 0
    ("synth_300x400", 300, 400, 128),  # sigma 0.67 / 1.06
    ("flat_20x30", 20, 30, 64),  # constant image: model input all zeros
]
MEDSAM_MODEL_INPUT = {"synth_300x400", "flat_20x30"}
LITE_CASES = [
    ("ch2", 217, 181, 256),  # enlarging: OpenCV's bilinear-like INTER_AREA branch
    ("synth_64x48", 64, 48, 256),  # enlarging x 4
    # enlarging to 192 x 256: output rows 72, 120, 144, 168 sit on exact source multiples, where
    # OpenCV's scale 1 / (192 / 136) (not 136 / 192) decides floor()
    ("synth_136x181", 136, 181, 256),
    ("synth_5x300", 5, 300, 256),  # shrinking to 4 x 256: area weights
    ("synth_300x400", 300, 400, 256),  # shrinking to 192 x 256, non-integer factor
    ("synth_600x100", 600, 100, 256),  # shrinking to 256 x 43
    ("synth_512x64", 512, 64, 256),  # factor exactly 2 on both axes: 2 x 2 block mean
    ("synth_768x96", 768, 96, 256),  # factor exactly 3: 3 x 3 block mean
    ("flat_20x30", 20, 30, 256),
]
LITE_MODEL_INPUT = {"ch2"}
BOXES = [(40.0, 50.0, 120.0, 160.0), (95.0, 20.0, 150.0, 101.0), (0.0, 0.0, 180.0, 216.0)]


def ch2_slice() -> np.ndarray:
    vol, _ = load_volume(CH2)
    low, high = percentile_window(vol)
    pixels = extract_slice(normalize_intensity(vol, low, high), "axial", CH2_AXIAL_INDEX)
    return np.ascontiguousarray(pixels)


def synthetic(height: int, width: int, seed: int) -> np.ndarray:
    """A gradient, a bright disc, a dark bar and +-40 grey levels of noise, uint8 H x W."""
    rng = np.random.default_rng(seed)
    y, x = np.meshgrid(np.linspace(0, 1, height), np.linspace(0, 1, width), indexing="ij")
    img = 60 + 100 * x + 40 * y
    img = img + 80 * (((x - 0.6) ** 2 + (y - 0.4) ** 2) < 0.05)
    img = img - 50 * ((np.abs(x - 0.25) < 0.05) & (y > 0.3))
    img = img + rng.uniform(-40, 40, (height, width))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def image_for(name: str, height: int, width: int) -> np.ndarray:
    if name.startswith("ch2"):
        return ch2_slice()
    if name.startswith("flat"):
        return np.full((height, width), 77, dtype=np.uint8)
    return synthetic(height, width, seed=height * 1000 + width)


def three_channels(pixels: np.ndarray) -> np.ndarray:
    return np.repeat(pixels[:, :, None], 3, axis=-1)


def first_channel(image: np.ndarray) -> np.ndarray:
    """The reference scripts resize H x W x 3; with a grey image all channels agree."""
    assert all(np.array_equal(image[..., 0], image[..., c]) for c in (1, 2))
    return np.ascontiguousarray(image[..., 0])


def minmax(image: np.ndarray) -> np.ndarray:
    """The reference scripts' normalisation, numpy float64, then float32 as torch.tensor
    (...).float() does."""
    image = image.astype(np.float64)
    lo, hi = image.min(), image.max()
    return ((image - lo) / np.clip(hi - lo, a_min=1e-8, a_max=None)).astype(np.float32)


def medsam_case(out: GoldenWriter, name: str, height: int, width: int, size: int) -> dict:
    pixels = image_for(name, height, width)
    assert pixels.shape == (height, width)
    # MedSAM_Inference.py
    resized = transform.resize(
        three_channels(pixels), (size, size), order=3, preserve_range=True, anti_aliasing=True
    ).astype(np.uint8)
    resized = first_channel(resized)
    case = {
        "rule": "medsam",
        "name": name,
        "height": height,
        "width": width,
        "size": size,
        "content_size": [size, size],
        "input": out.tensor(f"input_{name}", pixels),
        "resized": out.tensor(f"medsam_{name}_s{size}_resized", resized),
    }
    if name in MEDSAM_MODEL_INPUT:
        case["model_input"] = out.tensor(f"medsam_{name}_s{size}_model_input", minmax(resized))
    return case


def lite_case(out: GoldenWriter, name: str, height: int, width: int, size: int) -> dict:
    pixels = image_for(name, height, width)
    assert pixels.shape == (height, width)
    # CVPR24_LiteMedSAM_infer.py: resize_longest_side, min-max, pad_image
    scale = size * 1.0 / max(height, width)
    newh, neww = int(height * scale + 0.5), int(width * scale + 0.5)
    resized = cv2.resize(three_channels(pixels), (neww, newh), interpolation=cv2.INTER_AREA)
    resized = first_channel(resized)
    case = {
        "rule": "litemedsam",
        "name": name,
        "height": height,
        "width": width,
        "size": size,
        "content_size": [newh, neww],
        "input": out.tensor(f"input_{name}", pixels),
        "resized": out.tensor(f"litemedsam_{name}_s{size}_resized", resized),
    }
    if name in LITE_MODEL_INPUT:
        normed = minmax(resized)
        padded = np.pad(normed, ((0, size - newh), (0, size - neww)))
        case["model_input"] = out.tensor(f"litemedsam_{name}_s{size}_model_input", padded)
    return case


def box_cases() -> list:
    cases = []
    for height, width, size in ((217, 181, 1024), (217, 181, 256), (120, 300, 256)):
        for box in BOXES:
            b = np.array(box, dtype=np.float64)
            # MedSAM_Inference.py: box_np / np.array([W, H, W, H]) * 1024
            medsam = b / np.array([width, height, width, height]) * size
            # CVPR24_LiteMedSAM_infer.py resize_box_to_256: int(box[i] * (256 / max(H, W)))
            ratio = size / max(height, width)
            lite = [int(v * ratio) for v in b]
            common = {"height": height, "width": width, "size": size, "box": list(box)}
            cases.append(dict(rule="medsam", box_model=[float(v) for v in medsam], **common))
            cases.append(dict(rule="litemedsam", box_model=[float(v) for v in lite], **common))
    return cases


def smooth_logits(size: int, seed: int) -> torch.Tensor:
    """L x L logits with blob-shaped regions (coarse noise, bilinearly enlarged), |x| ~ 5."""
    gen = torch.Generator().manual_seed(seed)
    coarse = 6.0 * torch.randn(1, 1, 8, 8, generator=gen) + 1.0
    fine = F.interpolate(coarse, (size, size), mode="bilinear", align_corners=False)
    return (fine + 0.5 * torch.randn(1, 1, size, size, generator=gen))[0, 0]


def mask_case(out, key, logits, logits_ref, mask_rule, resize_rule, height, width, size) -> dict:
    """The reference mask rules, written out as the reference scripts do them."""
    low = logits[None, None]
    if mask_rule == "medsam":  # MedSAM_Inference.py medsam_inference
        values = F.interpolate(
            torch.sigmoid(low), (height, width), mode="bilinear", align_corners=False
        )
        mask, threshold = values > 0.5, 0.5
    elif mask_rule == "litemedsam":  # CVPR24_LiteMedSAM_infer.py postprocess_masks
        scale = size * 1.0 / max(height, width)
        newh, neww = int(height * scale + 0.5), int(width * scale + 0.5)
        if low.shape[-1] != size:  # not met by LiteMedSAM (L = S = 256): to S x S first
            low = F.interpolate(low, (size, size), mode="bilinear", align_corners=False)
        low = low[..., :newh, :neww]
        values = F.interpolate(low, (height, width), mode="bilinear", align_corners=False)
        mask, threshold = torch.sigmoid(values) > 0.5, 0.0
    else:  # "logits" with "stretch": today's rule
        values = F.interpolate(low, (height, width), mode="bilinear", align_corners=False)
        mask, threshold = values > 0, 0.0
    values, mask = values[0, 0], mask[0, 0].numpy().astype(np.uint8)
    return {
        "mask_rule": mask_rule,
        "resize_rule": resize_rule,
        "height": height,
        "width": width,
        "size": size,
        "low_res_size": int(logits.shape[-1]),
        "low_res_logits": logits_ref,
        "values": out.tensor(f"mask_{key}_values", values),
        "values_are": "probabilities" if mask_rule == "medsam" else "logits",
        "threshold": threshold,
        "ambiguous_band": AMBIGUOUS,
        "ambiguous_pixels": int(((values - threshold).abs() <= AMBIGUOUS).sum()),
        "mask": out.tensor(f"mask_{key}_mask", mask),
        "area": int(mask.sum()),
    }


def main() -> int:
    shutil.rmtree(REFERENCE_DIR, ignore_errors=True)
    out = GoldenWriter(REFERENCE_DIR)
    golden = {
        "schema_version": 1,
        "generator": "model/make_reference_goldens.py",
        "libraries": {
            "scikit-image": skimage.__version__,
            "opencv": cv2.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "torch": torch.__version__,
        },
        "resize": [medsam_case(out, *c) for c in MEDSAM_CASES]
        + [lite_case(out, *c) for c in LITE_CASES],
        "boxes": box_cases(),
    }

    masks = []
    random256 = smooth_logits(256, seed=13)
    ref256 = out.tensor("mask_random256_low_res_logits", random256)
    random64 = smooth_logits(64, seed=14)
    ref64 = out.tensor("mask_random64_low_res_logits", random64)
    for rule, resize_rule in (("logits", "stretch"), ("medsam", "medsam")):
        masks.append(
            mask_case(
                out, f"random256_{rule}", random256, ref256, rule, resize_rule, 217, 181, 1024
            )
        )
    for h, w in ((217, 181), (120, 300)):
        key = f"random256_litemedsam_{h}x{w}"
        masks.append(mask_case(out, key, random256, ref256, "litemedsam", "litemedsam", h, w, 256))
    masks.append(
        mask_case(
            out, "random64_litemedsam", random64, ref64, "litemedsam", "litemedsam", 50, 70, 64
        )
    )
    # low-res logits of the committed tiny-random-bundle (L = 32, S = 128): small |logit|
    tiny_ref = {"file": "../golden/mask0_low_res_logits.f32", "shape": [32, 32], "dtype": "float32"}
    tiny = torch.from_numpy(
        np.fromfile(os.path.join(TINY_GOLDEN, "mask0_low_res_logits.f32"), dtype="<f4")
    ).reshape(32, 32)
    for rule, resize_rule in (("logits", "stretch"), ("medsam", "medsam")):
        masks.append(
            mask_case(out, f"tiny_{rule}", tiny, tiny_ref, rule, resize_rule, 100, 75, 128)
        )
    masks.append(
        mask_case(out, "tiny_litemedsam", tiny, tiny_ref, "litemedsam", "litemedsam", 100, 75, 128)
    )
    golden["masks"] = masks

    with open(os.path.join(REFERENCE_DIR, "reference.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(REFERENCE_DIR, n)) for n in os.listdir(REFERENCE_DIR))
    print(f"wrote {REFERENCE_DIR} ({total / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
