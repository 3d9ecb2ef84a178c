"""Regenerates model/testdata/: a random-init bundle and the golden tensors that the Java
parity tests compare against (schema in model/testdata/README.md), for config `test`
(tiny-random-bundle/, golden/), `lite_test` (lite-random-bundle/, golden-lite/) or `conv_test`
(conv-random-bundle/, golden-conv/; the demo v3 convolutional encoder family).

    /usr/bin/python3 model/make_goldens.py [--config test|lite_test|conv_test]
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

from medsam_model.build import CONFIGS, build_sam
from medsam_model.bundle import export_bundle
from medsam_model.preprocess import (
    box_to_model_for,
    content_size,
    extract_slice,
    load_volume,
    mask_for,
    model_input_for,
    normalize_intensity,
    percentile_window,
)
from medsam_model.rle import counts_to_string, encode_counts
from medsam_model.sam import BoxDecoder

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "testdata")
# per config: bundle folder, golden folder, bundle id, init seed, whether BatchNorm
# statistics and attention biases are randomised after the init (see randomize_batchnorm).
# lite_test uses seed 2: with seed 0 its random decoder marks every pixel of both mask boxes
# (logits all > 0), which would test nothing.
FIXTURES = {
    "test": ("tiny-random-bundle", "golden", "medsam-test-random", 0, False),
    "lite_test": ("lite-random-bundle", "golden-lite", "medsam-lite-test-random", 2, True),
    "conv_test": ("conv-random-bundle", "golden-conv", "medsam-conv-test-random", 0, True),
}
BUNDLE_DIR = os.path.join(TESTDATA, "tiny-random-bundle")
GOLDEN_DIR = os.path.join(TESTDATA, "golden")
CONFIG = "test"
SEED = 0
BN_SEED = 2
SWAP_SEED = 1
CH2 = "/usr/share/mricron/templates/ch2.nii.gz"
CH2_AXIAL_INDEX = 90
MASK_BOXES = [(40.0, 50.0, 120.0, 160.0), (95.0, 20.0, 150.0, 101.0)]
AMBIGUOUS_LOGIT = 1e-4  # = tolerance_abs


def build_random(seed: int = SEED, config: str = CONFIG):
    """The exact model that export.py --config CONFIG --random-init --seed SEED writes."""
    torch.manual_seed(seed)
    return build_sam(config)


def randomize_batchnorm(module: torch.nn.Module, seed: int = BN_SEED) -> None:
    """Moves BatchNorm running statistics and affine weights, and TinyViT's attention biases,
    away from their fresh values (0/1/1/0, zeros), so that a fixture tells eval-mode
    BatchNorm from train mode or from no BatchNorm, and checks the bias lookup."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))
                m.weight.copy_(1.0 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
        for name, p in module.named_parameters():
            if name.endswith("attention_biases"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))


def swapped_state(sam, seed: int = SWAP_SEED, config: str = CONFIG):
    """A second decoder state_dict: another random init, every tensor (including the
    LayerNorm ones and zeros) perturbed so that no value equals the first model's."""
    torch.manual_seed(seed)
    other = BoxDecoder(build_sam(config)).state_dict()
    gen = torch.Generator().manual_seed(seed + 100)
    return {k: v + 0.05 * torch.randn(v.shape, generator=gen) for k, v in other.items()}


class GoldenWriter:
    def __init__(self, root: str) -> None:
        self.root = root

    def tensor(self, name: str, value) -> dict:
        array = value.detach().cpu().numpy() if torch.is_tensor(value) else np.asarray(value)
        if array.dtype == np.uint8:
            dtype, ext = "uint8", ".u8"
        else:
            array, dtype, ext = array.astype("<f4"), "float32", ".f32"
        path = os.path.join(self.root, name + ext)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        np.ascontiguousarray(array).tofile(path)
        return {"file": name + ext, "shape": list(array.shape), "dtype": dtype}


def synthetic_image(s: int) -> torch.Tensor:
    """A smooth gradient with a bright disc, in [0, 1]: 1 x 3 x S x S."""
    y, x = torch.meshgrid(torch.linspace(0, 1, s), torch.linspace(0, 1, s), indexing="ij")
    disc = ((x - 0.6) ** 2 + (y - 0.4) ** 2 < 0.05).float()
    img = torch.stack([0.5 * x + 0.3 * disc, 0.5 * y + 0.4 * disc, 0.25 * (x + y) + 0.5 * disc])
    return img.clamp(0, 1)[None]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=CONFIG, choices=sorted(FIXTURES))
    config = parser.parse_args(argv).config
    bundle_name, golden_name, bundle_id, seed, randomize_bn = FIXTURES[config]
    bundle_dir = os.path.join(TESTDATA, bundle_name)
    golden_dir = os.path.join(TESTDATA, golden_name)
    torch.set_num_threads(2)
    cfg = CONFIGS[config]
    s = cfg.image_size
    resize, mask_rule = cfg.resize, cfg.mask_rule or "logits"
    for folder in (bundle_dir, golden_dir):
        shutil.rmtree(folder, ignore_errors=True)
    sam = build_random(seed, config)
    regenerate = "/usr/bin/python3 model/make_goldens.py"
    training_data = f"none (random init, seed {seed})"
    lineage = {"seed": seed, "regenerate": regenerate}
    if randomize_bn:
        randomize_batchnorm(sam.image_encoder)
        regenerate += f" --config {config}"
        training_data = (
            f"none (random init, seed {seed}; BatchNorm statistics/weights and attention "
            f"biases randomised, seed {BN_SEED})"
        )
        lineage = {"seed": seed, "batchnorm_seed": BN_SEED, "regenerate": regenerate}
    manifest = export_bundle(
        sam,
        config,
        bundle_dir,
        bundle_id=bundle_id,
        version="1",
        source_checkpoint=None,
        training_data=training_data,
        extra_lineage=lineage,
    )
    decoder = BoxDecoder(sam).eval()
    out = GoldenWriter(golden_dir)
    golden = {
        "schema_version": 1,
        "generator": "model/make_goldens.py",
        "bundle": "../" + bundle_name,
        "config": config,
        "image_size": s,
        "low_res_size": cfg.low_res_size,
        "embedding_shape": manifest["embedding_shape"],
        "tolerance_abs": 1e-4,
    }
    if config != CONFIG:  # the `test` goldens predate the rules: stretch / logits
        golden.update(resize=resize, mask_rule=mask_rule, seed=seed, batchnorm_seed=BN_SEED)

    # preprocessing: one real MRI slice
    vol, _ = load_volume(CH2)
    low, high = percentile_window(vol)
    pixels = extract_slice(normalize_intensity(vol, low, high), "axial", CH2_AXIAL_INDEX)
    pixels = np.ascontiguousarray(pixels)
    ch2_input = model_input_for(pixels, resize, s)
    golden["preprocessing"] = {
        "volume": CH2,
        "axis": "axial",
        "index": CH2_AXIAL_INDEX,
        "height": int(pixels.shape[0]),
        "width": int(pixels.shape[1]),
        "clip_low": low,
        "clip_high": high,
        **(
            {"content_size": list(content_size(resize, *pixels.shape, s))}
            if config != CONFIG
            else {}
        ),
        "pixels": out.tensor("ch2_axial90_pixels", pixels),
        "model_input": out.tensor("ch2_axial90_model_input", ch2_input),
    }

    with torch.no_grad():
        images = torch.cat([ch2_input, synthetic_image(s)])
        embeddings = sam.image_encoder(images)
        golden["encoder"] = {
            "image": out.tensor("encoder_image", images),
            "image_embeddings": out.tensor("encoder_image_embeddings", embeddings),
        }

        dec_emb = embeddings[[0, 1, 0]].contiguous()
        boxes = torch.tensor(
            [[10.0, 20.0, 90.0, 100.0], [40.5, 30.25, 70.0, 120.0], [0.0, 0.0, 127.0, 127.0]]
        )
        boxes = boxes * (s / 128.0)  # the `test` boxes (S = 128), scaled to this S
        logits, iou = decoder(dec_emb, boxes)
        golden["decoder"] = {
            "image_embeddings": out.tensor("decoder_image_embeddings", dec_emb),
            "boxes": out.tensor("decoder_boxes", boxes),
            "low_res_logits": out.tensor("decoder_low_res_logits", logits),
            "iou_predictions": out.tensor("decoder_iou_predictions", iou),
        }

        other = swapped_state(sam, config=config)
        swapped = BoxDecoder(build_random(seed, config))
        swapped.load_state_dict(other, strict=True)
        logits2, iou2 = swapped.eval()(dec_emb, boxes)
        inits = []
        for entry in manifest["decoder_initializers"]:
            ref = out.tensor("w/" + entry["name"], other[entry["name"]])
            inits.append(dict(name=entry["name"], **ref))
        golden["decoder_swapped_weights"] = {
            "seed": SWAP_SEED,
            "initializers": inits,
            "low_res_logits": out.tensor("swapped_low_res_logits", logits2),
            "iou_predictions": out.tensor("swapped_iou_predictions", iou2),
        }

        golden["masks"] = [
            mask_case(out, decoder, embeddings[0:1], box, pixels.shape, s, i, resize, mask_rule)
            for i, box in enumerate(MASK_BOXES)
        ]

    with open(os.path.join(golden_dir, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"wrote {bundle_dir} and {golden_dir}")
    return 0


def mask_case(out, decoder, embedding, box, shape, s, i, resize, mask_rule) -> dict:
    """One box on the ch2 slice through decoder and mask rule. "upsampled_logits" holds the
    logits at H x W the mask is thresholded from ("logits": > 0; "litemedsam": sigmoid >
    0.5, after the crop); the "medsam" rule (probabilities) is not used by these fixtures."""
    height, width = int(shape[0]), int(shape[1])
    box_model = box_to_model_for(box, height, width, s, resize)
    logits, _ = decoder(embedding, torch.from_numpy(box_model)[None])
    up, mask = mask_for(logits[0, 0], height, width, s, resize, mask_rule)
    # a random-init decoder has small logits, so a few pixels may sit within the parity
    # tolerance of the threshold; they are counted so that tests can ignore them
    ambiguous = int((up.abs() <= AMBIGUOUS_LOGIT).sum())
    counts = encode_counts(mask)
    return {
        "height": height,
        "width": width,
        "box": [float(v) for v in box],
        "box_model": [float(v) for v in box_model],
        "image_embeddings": out.tensor(f"mask{i}_image_embeddings", embedding),
        "low_res_logits": out.tensor(f"mask{i}_low_res_logits", logits),
        "upsampled_logits": out.tensor(f"mask{i}_upsampled_logits", up),
        "ambiguous_logit": AMBIGUOUS_LOGIT,
        "ambiguous_pixels": ambiguous,
        "mask": out.tensor(f"mask{i}_mask", mask),
        "area": int(mask.sum()),
        "rle_counts": counts,
        "rle_string": counts_to_string(counts),
    }


if __name__ == "__main__":
    sys.exit(main())
