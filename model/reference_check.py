"""Reference-fidelity check: MedSAM's and LiteMedSAM's scripts against this project, on ch2.

Random-weight MedSAM (vit_b) and LiteMedSAM (lite) checkpoints are built by the reference code,
run by the reference inference scripts, by this project's Python path and by `medsam segment`,
and the masks are compared pixel by pixel.

The reference code is never copied here: it is imported from the two source trees of
bowang-lab/MedSAM (branch main: MedSAM_Inference.py and segment_anything/; branch LiteMedSAM:
CVPR24_LiteMedSAM_infer.py, tiny_vit_sam.py and segment_anything/), given on the command line.
All commands run from the repository root with /usr/bin/python3:

    model/reference_check.py prepare --mirror GIT_DIR --work /tmp/e2e   # trees + stubs
    model/reference_check.py all --work /tmp/e2e                         # every step below
    model/reference_check.py slice --out S.png                           # ch2 axial 90, uint8
    model/reference_check.py checkpoint --model vit_b|lite --src DIR --image S.png --box B --out P
    model/reference_check.py reference --model vit_b|lite --src DIR --checkpoint P --image S.png
                                       --box B --out DIR
    model/reference_check.py ours --bundle DIR --image S.png --box B --out DIR [--runtime onnx]
    model/reference_check.py segment --medsam ./medsam --bundle DIR --image S.png --box B --out DIR
    model/reference_check.py compare --reference DIR --mask MASK(.png|.npy|.json)

`prepare` extracts the trees with `git archive` and writes stubs for the modules the reference
code imports but never calls on this path (timm's DropPath, to_2tuple, trunc_normal_ and
register_model for tiny_vit_sam.py, behaving as timm's at eval time; torchvision names imported
by segment_anything's predictor utilities, raising when called). The reference runs are:
- vit_b: MedSAM_Inference.py itself, unmodified, through runpy with its own command line
  (-i S.png -o DIR --box "[x0,y0,x1,y1]" --device cpu -chk P); its seg_S.png is the mask.
- lite: CVPR24_LiteMedSAM_infer.py's module body with its own command line, minus its
  `if __name__ == "__main__"` loop and the imports only that loop uses (tqdm, pandas: not
  installed here); then its MedSAM_infer_npz_2D on a 2D npz holding the slice (imgs H x W x 3,
  boxes [[x0, y0, x1, y1]]), as that loop does per file; its segs output is the mask.
The mask values (vit_b: upsampled probabilities, lite: upsampled logits) are recorded from the
scripts' own F.interpolate call, to count pixels near the threshold.

Random checkpoints (`checkpoint`; the recipe is written next to the .pth as JSON): vit_b is
MedSAM main's sam_model_registry["vit_b"]() (which builds the model and then fails on
Path(None) without a checkpoint; the model is taken from its frame), lite is the
medsam_lite_model statements of CVPR24_LiteMedSAM_infer.py; torch.manual_seed(seed) first.
Random weights give masks that cover everything or nothing, hover within ~0.05 of the
threshold, and follow a 4-pixel checkerboard, so, deterministically: the mask decoder's two
upscaling ConvTranspose2d kernels are tied over their 2 x 2 taps; for lite, BatchNorm
statistics and affine weights and the attention bias tables are randomised; then the last layer
of the single-mask hypernetwork MLP is calibrated on the slice and box (calibrate_decoder: sign,
bias shift so that ~25 % of the box is positive, scale to a logit std of 4).
"""

import argparse
import ast
import contextlib
import hashlib
import importlib.util
import json
import os
import runpy
import subprocess
import sys
import time
from types import SimpleNamespace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

MODEL_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(MODEL_DIR)
MODELS = ("vit_b", "lite")
MEDSAM_SCRIPT = "MedSAM_Inference.py"
LITE_SCRIPT = "CVPR24_LiteMedSAM_infer.py"
LITE_MODEL_NAMES = (  # what CVPR24_LiteMedSAM_infer.py defines to build its model
    "MedSAM_Lite",
    "medsam_lite_image_encoder",
    "medsam_lite_prompt_encoder",
    "medsam_lite_mask_decoder",
    "medsam_lite_model",
)
LOOP_ONLY_IMPORTS = ("tqdm", "pandas")  # CVPR24_LiteMedSAM_infer.py's __main__ loop only
TREES = {  # work sub-folder: (branch, paths) extracted by `prepare`
    "medsam-main": ("main", ["LICENSE", MEDSAM_SCRIPT, "segment_anything"]),
    "medsam-lite": ("LiteMedSAM", ["LICENSE", LITE_SCRIPT, "tiny_vit_sam.py", "segment_anything"]),
}
CH2 = "/usr/share/mricron/templates/ch2.nii.gz"
CH2_AXIAL_INDEX = 90
DEFAULT_BOX = "30,30,150,190"  # most of the brain on ch2 axial 90 (217 x 181)
DEFAULT_SEEDS = {"vit_b": 0, "lite": 0}
BAND = 1e-3  # "near the threshold": |value - threshold| <= BAND in the rule's value space
THRESHOLDS = {"vit_b": 0.5, "lite": 0.0}  # vit_b values: probabilities; lite: logits

_NOT_USED = """def {name}(*args, **kwargs):
    raise NotImplementedError("stub: {module}.{name} is not used by box-prompt inference")
"""
STUBS = {
    "timm/__init__.py": '"""Stub: the timm helpers tiny_vit_sam.py imports (timm 0.9)."""\n',
    "timm/models/__init__.py": "",
    "timm/models/registry.py": "def register_model(fn):\n    return fn\n",
    "timm/models/layers.py": """import collections.abc
from itertools import repeat

from torch import nn
from torch.nn.init import trunc_normal_  # timm's trunc_normal_ is a copy of this one


def to_2tuple(x):
    if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):
        return tuple(x)
    return tuple(repeat(x, 2))


def drop_path(x, drop_prob=0.0, training=False, scale_by_keep=True):
    if drop_prob == 0.0 or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
    if keep_prob > 0.0 and scale_by_keep:
        random_tensor.div_(keep_prob)
    return x * random_tensor


class DropPath(nn.Module):
    def __init__(self, drop_prob=0.0, scale_by_keep=True):
        super().__init__()
        self.drop_prob = drop_prob
        self.scale_by_keep = scale_by_keep

    def forward(self, x):
        return drop_path(x, self.drop_prob, self.training, self.scale_by_keep)
""",
    "torchvision/__init__.py": '"""Stub: names segment_anything imports; calling them raises."""\n',
    "torchvision/transforms/__init__.py": "",
    "torchvision/transforms/functional.py": "".join(
        _NOT_USED.format(module="torchvision.transforms.functional", name=n)
        for n in ("resize", "to_pil_image")
    ),
    "torchvision/ops/__init__.py": "",
    "torchvision/ops/boxes.py": "".join(
        _NOT_USED.format(module="torchvision.ops.boxes", name=n)
        for n in ("batched_nms", "box_area")
    ),
}


# --- small helpers ---------------------------------------------------------------------------


def parse_box(text: str) -> Tuple[int, int, int, int]:
    """Parses x0,y0,x1,y1 as integers (MedSAM_Inference.py parses its --box with int())."""
    values = [int(v) for v in text.split(",")]
    if len(values) != 4:
        raise argparse.ArgumentTypeError("--box needs x0,y0,x1,y1")
    return tuple(values)


def box_area(box: Sequence[int]) -> int:
    """Pixels in an inclusive box."""
    x0, y0, x1, y1 = box
    return (x1 - x0 + 1) * (y1 - y0 + 1)


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_grey_png(path: str) -> np.ndarray:
    """H x W uint8 of an 8-bit grey PNG."""
    from PIL import Image

    with Image.open(path) as img:
        if img.mode != "L":
            raise ValueError(f"{path}: expected an 8-bit grey PNG, got mode {img.mode}")
        return np.array(img)


def write_mask_png(mask: np.ndarray, path: str) -> None:
    """0/1 mask as an 8-bit grey PNG, foreground 255 (as `medsam segment` writes masks)."""
    from PIL import Image

    Image.fromarray((mask > 0).astype(np.uint8) * 255, mode="L").save(path)


def write_json(path: str, value: Dict) -> None:
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def add_reference_path(src: str, stubs: Optional[str]) -> None:
    """Reference tree first on sys.path (its segment_anything, tiny_vit_sam), stubs last, so a
    real timm or torchvision, when installed, wins over the stub."""
    sys.path.insert(0, os.path.abspath(src))
    if stubs:
        sys.path.append(os.path.abspath(stubs))


@contextlib.contextmanager
def recorded_interpolate():
    """Records every torch.nn.functional.interpolate output while active (the reference
    scripts call it through the module, `F.interpolate`, so they see the recorder)."""
    import torch.nn.functional as F

    original = F.interpolate
    outputs: List[torch.Tensor] = []

    def recorder(*args, **kwargs):
        out = original(*args, **kwargs)
        outputs.append(out.detach().clone())
        return out

    F.interpolate = recorder
    try:
        yield outputs
    finally:
        F.interpolate = original


def last_of_size(outputs: List[torch.Tensor], height: int, width: int) -> np.ndarray:
    """The last recorded 1 x 1 x H x W tensor as an H x W float32 array."""
    for out in reversed(outputs):
        if tuple(out.shape[-2:]) == (height, width):
            return out.reshape(height, width).float().numpy()
    raise RuntimeError("the reference run made no H x W interpolation")


# --- loading the reference scripts ------------------------------------------------------------


def _assigned_names(node: ast.AST) -> List[str]:
    """Names a module-level statement binds (definitions, assignments, imports)."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    targets = node.targets if isinstance(node, ast.Assign) else []
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def _is_main_guard(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)


def _missing_loop_import(node: ast.AST) -> bool:
    """An import of a module that only the script's __main__ loop uses (LOOP_ONLY_IMPORTS) and
    that is not installed; any other missing import still fails loudly."""
    if isinstance(node, ast.Import):
        tops = {a.name.split(".")[0] for a in node.names}
    elif isinstance(node, ast.ImportFrom) and node.level == 0:
        tops = {node.module.split(".")[0]}
    else:
        return False
    missing = {t for t in tops if importlib.util.find_spec(t) is None}
    return bool(missing) and tops <= set(LOOP_ONLY_IMPORTS)


def exec_script(path: str, keep: Callable[[ast.AST], bool], argv: Sequence[str]) -> Dict:
    """Executes the module-level statements of a script for which keep(node) is true, with
    sys.argv = [path, *argv] for its argparse, and returns its namespace. Compiled from the
    original file, so tracebacks point at the reference's own lines."""
    with open(path) as f:
        tree = ast.parse(f.read(), filename=path)
    tree.body = [node for node in tree.body if keep(node)]
    namespace = {"__name__": os.path.splitext(os.path.basename(path))[0], "__file__": path}
    saved = sys.argv
    sys.argv = [path, *argv]
    try:
        exec(compile(tree, path, "exec"), namespace)
    finally:
        sys.argv = saved
    return namespace


def lite_script_body(node: ast.AST) -> bool:
    """CVPR24_LiteMedSAM_infer.py without its __main__ loop and the imports only that loop
    uses when they are not installed (tqdm, pandas)."""
    return not _is_main_guard(node) and not _missing_loop_import(node)


def lite_model_definitions(node: ast.AST) -> bool:
    """Only the imports and the statements that define and build LiteMedSAM's model."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return not _missing_loop_import(node)
    return any(name in LITE_MODEL_NAMES for name in _assigned_names(node))


# --- random checkpoints built by the reference code ------------------------------------------


def build_reference_vit_b() -> torch.nn.Module:
    """MedSAM main's sam_model_registry["vit_b"](): builds the model, then fails on
    Path(None) when no checkpoint is given (build_sam.py `checkpoint = Path(checkpoint)`), after
    `sam.eval()`; the built model is taken from _build_sam's frame."""
    from segment_anything import sam_model_registry

    try:
        return sam_model_registry["vit_b"]()
    except TypeError as error:
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_name != "_build_sam":
            tb = tb.tb_next
        if tb is None or "sam" not in tb.tb_frame.f_locals:
            raise
        return tb.tb_frame.f_locals["sam"]


def build_reference_lite(src: str) -> torch.nn.Module:
    """medsam_lite_model exactly as CVPR24_LiteMedSAM_infer.py builds it (its TinyViT,
    PromptEncoder, MaskDecoder and MedSAM_Lite statements)."""
    ns = exec_script(os.path.join(src, LITE_SCRIPT), lite_model_definitions, [])
    return ns["medsam_lite_model"]


def tie_upscaling_kernels(mask_decoder: torch.nn.Module) -> None:
    """Every 2 x 2 ConvTranspose2d of output_upscaling gets the same kernel tap at all four
    positions (nearest-neighbour upsampling), so that a random decoder's mask follows the
    64 x 64 embedding instead of a 4-pixel checkerboard."""
    with torch.no_grad():
        for module in mask_decoder.output_upscaling:
            if isinstance(module, torch.nn.ConvTranspose2d):
                module.weight.copy_(module.weight[:, :, :1, :1].expand_as(module.weight))


def randomize_batchnorm(module: torch.nn.Module, seed: int, shift: float) -> None:
    """BatchNorm running statistics and affine weights, and TinyViT's attention bias tables,
    moved away from their fresh values (as make_goldens.randomize_batchnorm, but with running
    means and biases of scale `shift`), so that a run with BatchNorm in training mode or dropped
    would not match."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.copy_(shift * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))
                m.weight.copy_(1.0 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(shift * torch.randn(m.bias.shape, generator=gen))
        for name, p in module.named_parameters():
            if name.endswith("attention_biases"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))


def calibrate_decoder(
    mask_decoder: torch.nn.Module,
    decode: Callable[[], None],
    content: Tuple[int, int],
    box_low_res: Sequence[float],
    fraction: float,
    logit_std: float,
) -> Dict:
    """Moves the zero crossing and the scale of a random decoder's logits on one prompt, through
    the last layer of hypernetwork MLP 0 (the single-mask output): for each sign of that layer,
    its bias is shifted along the mean upscaled embedding inside the box until about `fraction`
    of the low-res logits inside the box (box_low_res, in low-res pixels) are positive; the sign
    with fewer positive logits outside the box (over the image content, content = rows,
    columns) is kept; then weight and bias are scaled so that the logits over the content have
    standard deviation `logit_std`. Masks of random decoders otherwise cover all or nothing and
    hover within ~0.05 of the threshold. decode() runs the reference decoder once."""
    captured = {}
    hooks = [
        mask_decoder.output_upscaling.register_forward_hook(
            lambda m, i, o: captured.__setitem__("upscaled", o)
        ),
        mask_decoder.register_forward_hook(lambda m, i, o: captured.__setitem__("logits", o[0])),
    ]
    last = mask_decoder.output_hypernetworks_mlps[0].layers[-1]
    x0, y0, x1, y1 = (int(round(float(v))) for v in box_low_res)
    in_box = (slice(y0, y1 + 1), slice(x0, x1 + 1))
    h, w = content
    outside = torch.ones(h, w, dtype=torch.bool)
    outside[in_box] = False
    original = (last.weight.detach().clone(), last.bias.detach().clone())
    candidates = []
    try:
        with torch.no_grad():
            for sign in (1.0, -1.0):
                last.weight.copy_(sign * original[0])
                last.bias.copy_(sign * original[1])
                shifts = []
                for _ in range(4):
                    decode()
                    logits = captured["logits"][0, 0][in_box].flatten()
                    mean_up = captured["upscaled"][0][(slice(None), *in_box)].flatten(1).mean(1)
                    q = torch.quantile(logits, 1.0 - fraction)
                    last.bias.sub_(q * mean_up / mean_up.dot(mean_up))
                    shifts.append(float(q))
                decode()
                positive_outside = int((captured["logits"][0, 0, :h, :w][outside] > 0).sum())
                state = (last.weight.detach().clone(), last.bias.detach().clone())
                candidates.append((positive_outside, sign, shifts, state))
            positive_outside, sign, shifts, state = min(candidates, key=lambda c: c[0])
            last.weight.copy_(state[0])
            last.bias.copy_(state[1])
            decode()
            scale = logit_std / float(captured["logits"][0, 0, :h, :w].std())
            last.weight.mul_(scale)
            last.bias.mul_(scale)
    finally:
        for hook in hooks:
            hook.remove()
    return {
        "box_low_res": [x0, y0, x1, y1],
        "sign": sign,
        "positive_low_res_outside_box": {str(c[1]): c[0] for c in candidates},
        "quantile_shifts": shifts,
        "scale": scale,
    }


# --- reference runs ---------------------------------------------------------------------------


def reference_vit_b(src: str, checkpoint: str, image: str, box, out_dir: str) -> SimpleNamespace:
    """Runs MedSAM_Inference.py unmodified (Agg backend). Returns the mask it wrote, the
    probabilities it thresholded, its model and a decode(embedding) that calls its own
    medsam_inference again."""
    os.environ["MPLBACKEND"] = "Agg"
    argv = ["-i", image, "-o", out_dir, "--box", "[" + ",".join(map(str, box)) + "]"]
    argv += ["--device", "cpu", "-chk", checkpoint]
    saved = sys.argv
    sys.argv = [MEDSAM_SCRIPT, *argv]
    try:
        with recorded_interpolate() as outputs:
            g = runpy.run_path(os.path.join(src, MEDSAM_SCRIPT), run_name="__main__")
    finally:
        sys.argv = saved
    from skimage import io

    height, width = g["H"], g["W"]
    mask = io.imread(os.path.join(out_dir, "seg_" + os.path.basename(image)))

    def decode(embedding=g["image_embedding"]):
        with recorded_interpolate() as rec:
            seg = g["medsam_inference"](g["medsam_model"], embedding, g["box_1024"], height, width)
        return seg, last_of_size(rec, height, width)

    return SimpleNamespace(
        mask=(mask > 0).astype(np.uint8),
        values=last_of_size(outputs, height, width),
        model=g["medsam_model"],
        embedding=g["image_embedding"],
        content=(256, 256),
        box_low_res=[float(v) / 4 for v in g["box_1024"][0]],  # L = 256 for S = 1024
        decode=decode,
    )


def reference_lite(src: str, checkpoint: str, image: str, box, out_dir: str) -> SimpleNamespace:
    """Runs CVPR24_LiteMedSAM_infer.py's body (see the module docstring) and its
    MedSAM_infer_npz_2D on the slice; same result fields as reference_vit_b."""
    os.environ["MPLBACKEND"] = "Agg"
    pixels = read_grey_png(image)
    height, width = pixels.shape
    npz_dir = os.path.join(out_dir, "lite_npz")
    os.makedirs(npz_dir, exist_ok=True)
    npz = os.path.join(npz_dir, "2D_" + os.path.splitext(os.path.basename(image))[0] + ".npz")
    np.savez_compressed(
        npz, imgs=np.repeat(pixels[:, :, None], 3, axis=-1), boxes=np.array([box], dtype=np.int64)
    )
    segs_dir = os.path.join(out_dir, "lite_segs")
    argv = ["-i", npz_dir, "-o", segs_dir, "-lite_medsam_checkpoint_path", checkpoint]
    argv += ["-device", "cpu", "-png_save_dir", os.path.join(out_dir, "lite_overlay")]
    ns = exec_script(os.path.join(src, LITE_SCRIPT), lite_script_body, argv)
    model = ns["medsam_lite_model"]
    captured = {}
    hook = model.image_encoder.register_forward_hook(
        lambda m, i, o: captured.__setitem__("embedding", o.detach().clone())
    )
    try:
        with recorded_interpolate() as outputs:
            ns["MedSAM_infer_npz_2D"](npz)
    finally:
        hook.remove()
    segs = np.load(os.path.join(segs_dir, os.path.basename(npz)))["segs"]
    img_3c = np.repeat(pixels[:, :, None], 3, axis=-1)
    new_size = ns["resize_longest_side"](img_3c, 256).shape[:2]
    box256 = ns["resize_box_to_256"](np.array(box), original_size=(height, width))[None, ...]

    def decode(embedding=captured["embedding"]):
        with recorded_interpolate() as rec:
            seg, _ = ns["medsam_inference"](model, embedding, box256, new_size, (height, width))
        return seg, last_of_size(rec, height, width)

    return SimpleNamespace(
        mask=(segs > 0).astype(np.uint8),
        values=last_of_size(outputs, height, width),
        model=model,
        embedding=captured["embedding"],
        content=tuple(new_size),
        box_low_res=[float(v) for v in box256[0]],  # L = S = 256
        decode=decode,
    )


def run_reference(model: str, src: str, stubs, checkpoint: str, image: str, box, out_dir: str):
    os.makedirs(out_dir, exist_ok=True)
    add_reference_path(src, stubs)
    run = reference_vit_b if model == "vit_b" else reference_lite
    return run(src, checkpoint, image, box, out_dir)


# --- mask statistics and comparison -----------------------------------------------------------


def near_threshold(values: np.ndarray, threshold: float, band: float = BAND) -> int:
    return int((np.abs(values.astype(np.float64) - threshold) <= band).sum())


def mask_stats(mask: np.ndarray, box) -> Dict:
    x0, y0, x1, y1 = box
    return {
        "area": int(mask.sum()),
        "area_in_box": int(mask[y0 : y1 + 1, x0 : x1 + 1].sum()),
        "box_area": box_area(box),
        "area_over_box_area": round(float(mask.sum()) / box_area(box), 4),
    }


def compare_masks(reference: np.ndarray, other: np.ndarray, near: Optional[np.ndarray]) -> Dict:
    """Pixel agreement and DSC of two H x W 0/1 masks; `near` (optional, bool H x W) marks the
    reference's near-threshold pixels, to say how many differences lie there."""
    if reference.shape != other.shape:
        raise ValueError(f"mask shapes differ: {reference.shape} vs {other.shape}")
    a, b = reference > 0, other > 0
    differ = a != b
    total = a.size
    denominator = int(a.sum() + b.sum())
    result = {
        "pixels": int(total),
        "differing": int(differ.sum()),
        "agreement_percent": round(100.0 * (total - int(differ.sum())) / total, 4),
        "dsc": round(2.0 * int((a & b).sum()) / denominator, 6) if denominator else 1.0,
        "reference_area": int(a.sum()),
        "other_area": int(b.sum()),
    }
    if near is not None:
        result["differing_near_threshold"] = int((differ & near).sum())
    return result


def load_mask(path: str) -> np.ndarray:
    """A 0/1 H x W mask from a PNG (any non-zero is foreground), a .npy, or the RLE JSON that
    `medsam segment` writes next to its PNG (segmentation.size [H, W], COCO counts string)."""
    if path.endswith(".npy"):
        return (np.load(path) > 0).astype(np.uint8)
    if path.endswith(".json"):
        from medsam_model.rle import decode_counts, string_to_counts

        with open(path) as f:
            seg = json.load(f)["segmentation"]
        height, width = seg["size"]
        return decode_counts(string_to_counts(seg["counts"]), height, width).astype(np.uint8)
    from PIL import Image

    with Image.open(path) as img:
        return (np.array(img.convert("L")) > 0).astype(np.uint8)


def load_reference(path: str) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """A reference folder (written by `reference`): its mask and near-threshold pixels; or a
    bare mask file (no near-threshold information)."""
    if not os.path.isdir(path):
        return load_mask(path), None
    with open(os.path.join(path, "reference.json")) as f:
        info = json.load(f)
    values = np.load(os.path.join(path, "reference_values.npy")).astype(np.float64)
    near = np.abs(values - info["threshold"]) <= info["band"]
    return load_mask(os.path.join(path, "reference_mask.npy")), near


def print_comparison(label: str, result: Dict) -> None:
    near = result.get("differing_near_threshold")
    print(
        f"{label}: pixels {result['pixels']}, differing {result['differing']}"
        + (f" ({near} near the threshold)" if near is not None else "")
        + f", agreement {result['agreement_percent']:.4f} %, DSC {result['dsc']:.6f},"
        f" area reference {result['reference_area']} / other {result['other_area']}"
    )


# --- our pipeline in Python -------------------------------------------------------------------


def _onnx_eval():
    sys.path.insert(0, os.path.join(MODEL_DIR, "tests"))
    import onnx_eval

    return onnx_eval


def our_masks(
    bundle: str, pixels: np.ndarray, box, runtime: str, input_resize: Optional[str] = None
) -> Dict[str, Dict]:
    """This project's Python path on a bundle: preprocess.model_input_for / box_to_model_for /
    mask_for with the manifest's rules, the encoder and decoder either as PyTorch modules rebuilt
    from the bundle (runtime "torch") or as the bundle's ONNX graphs run by tests/onnx_eval.py
    (runtime "onnx"; ONNX Runtime is not installable here for Python). Returns, for the float32
    embedding and for the embedding rounded to float16 (as the embeddings topic carries it), the
    mask values and the mask."""
    from medsam_model.preprocess import box_to_model_for, mask_for, model_input_for

    with open(os.path.join(bundle, "manifest.json")) as f:
        manifest = json.load(f)
    size, resize = manifest["image_size"], manifest["resize"]
    mask_rule = manifest.get("mask_rule", "logits")
    height, width = pixels.shape
    image = model_input_for(pixels, input_resize or resize, size)
    boxes = torch.from_numpy(box_to_model_for(box, height, width, size, resize))[None]
    if runtime == "onnx":
        onnx_eval = _onnx_eval()
        encoder_path = os.path.join(bundle, manifest["files"]["encoder"])
        decoder_path = os.path.join(bundle, manifest["files"]["decoder"])
        embedding = onnx_eval.run(encoder_path, {"image": image})["image_embeddings"]

        def decoder(emb, b):
            out = onnx_eval.run(decoder_path, {"image_embeddings": emb, "boxes": b})
            return out["low_res_logits"], out["iou_predictions"]

    else:
        from medsam_model.bundle import load_sam_from_bundle
        from medsam_model.sam import BoxDecoder

        sam = load_sam_from_bundle(bundle)
        with torch.no_grad():
            embedding = sam.image_encoder(image)
        decoder = BoxDecoder(sam).eval()
    results = {}
    for name, emb in (("fp32", embedding), ("fp16", embedding.half().float())):
        with torch.no_grad():
            low_res, _ = decoder(emb, boxes)
        values, mask = mask_for(low_res, height, width, size, resize, mask_rule)
        results[name] = {
            "values": values.reshape(height, width).numpy(),
            "mask": mask.reshape(height, width),
        }
    results["rules"] = {"resize": resize, "mask_rule": mask_rule}
    return results


# --- subcommands ------------------------------------------------------------------------------


def cmd_prepare(args) -> int:
    """Extracts the reference trees from a git mirror of bowang-lab/MedSAM and writes stubs."""
    for folder, (branch, paths) in TREES.items():
        out = os.path.join(args.work, folder)
        os.makedirs(out, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", args.mirror, "archive", branch, "--", *paths],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", out], input=archive, check=True)
        print(f"{out}: {branch} {' '.join(paths)}")
    stubs = os.path.join(args.work, "stubs")
    for rel, text in STUBS.items():
        top = rel.split("/")[0]
        if importlib.util.find_spec(top) is not None:
            continue  # installed: the real module is used
        path = os.path.join(stubs, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    print(f"{stubs}: stubs for {sorted({r.split('/')[0] for r in STUBS})} (where not installed)")
    return 0


def ch2_slice() -> np.ndarray:
    """ch2 axial slice 90 as uint8, exactly as the ingest does (percentile window of non-zero
    voxels over the whole volume; model/testdata/README.md "preprocessing")."""
    from medsam_model.preprocess import (
        extract_slice,
        load_volume,
        normalize_intensity,
        percentile_window,
    )

    vol, _ = load_volume(CH2)
    low, high = percentile_window(vol)
    pixels = extract_slice(normalize_intensity(vol, low, high), "axial", CH2_AXIAL_INDEX)
    return np.ascontiguousarray(pixels)


def cmd_slice(args) -> int:
    from PIL import Image

    pixels = ch2_slice()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    Image.fromarray(pixels, mode="L").save(args.out)
    assert np.array_equal(read_grey_png(args.out), pixels)
    print(f"wrote {args.out}: {pixels.shape[0]} x {pixels.shape[1]} uint8 ({CH2} axial 90)")
    return 0


def cmd_checkpoint(args) -> int:
    """Random weights with the reference classes, made non-trivial (see the JSON it writes)."""
    torch.set_num_threads(args.threads)
    add_reference_path(args.src, args.stubs)
    torch.manual_seed(args.seed)
    if args.model == "vit_b":
        model = build_reference_vit_b()
    else:
        model = build_reference_lite(args.src)
        randomize_batchnorm(model.image_encoder, args.seed + 1, args.bn_shift)
    tie_upscaling_kernels(model.mask_decoder)
    recipe = {
        "model": args.model,
        "built_by": (
            'segment_anything.sam_model_registry["vit_b"]() of MedSAM main'
            if args.model == "vit_b"
            else "medsam_lite_model of LiteMedSAM's CVPR24_LiteMedSAM_infer.py"
        ),
        "seed": args.seed,
        "perturbations": ["output_upscaling ConvTranspose2d kernels tied over their 2 x 2 taps"]
        + (
            [
                f"BatchNorm statistics/affine and attention biases randomised (seed"
                f" {args.seed + 1}, running means and biases of scale {args.bn_shift})"
            ]
            if args.model == "lite"
            else []
        ),
    }
    torch.save(model.state_dict(), args.out)
    if args.calibrate:
        out_dir = args.out + ".calibration"
        run = run_reference(
            args.model, args.src, args.stubs, args.out, args.image, args.box, out_dir
        )
        recipe["calibration"] = {
            "image": args.image,
            "box": list(args.box),
            "positive_fraction_in_box": args.fraction,
            "logit_std": args.logit_std,
            **calibrate_decoder(
                run.model.mask_decoder,
                run.decode,
                run.content,
                run.box_low_res,
                args.fraction,
                args.logit_std,
            ),
        }
        recipe["perturbations"].append(
            "mask_decoder.output_hypernetworks_mlps.0.layers.2: sign chosen (fewer positives"
            " outside the box), bias shifted along the mean upscaled embedding in the box so"
            f" that ~{args.fraction} of the low-res logits in the box are positive on the"
            " calibration image and box, then weight and bias scaled to logit std"
            f" {args.logit_std} over the image content (calibrate_decoder)"
        )
        torch.save(run.model.state_dict(), args.out)
    recipe["sha256"] = sha256_of(args.out)
    write_json(args.out + ".json", recipe)
    print(json.dumps(recipe, indent=2))
    return 0


def cmd_reference(args) -> int:
    torch.set_num_threads(args.threads)
    start = time.time()
    run = run_reference(
        args.model, args.src, args.stubs, args.checkpoint, args.image, args.box, args.out
    )
    seconds = time.time() - start
    threshold = THRESHOLDS[args.model]
    from_values = (run.values > threshold).astype(np.uint8)
    if args.model == "lite":  # the script's rule is sigmoid(x) > 0.5 in float32
        from_values = (torch.sigmoid(torch.from_numpy(run.values)) > 0.5).numpy().astype(np.uint8)
    if not np.array_equal(from_values, run.mask):
        raise RuntimeError("recorded values do not give the script's own mask")
    fp16_mask, fp16_values = run.decode(run.embedding.half().float())
    np.save(os.path.join(args.out, "reference_mask.npy"), run.mask)
    np.save(os.path.join(args.out, "reference_values.npy"), run.values)
    np.save(os.path.join(args.out, "reference_fp16_mask.npy"), fp16_mask.astype(np.uint8))
    write_mask_png(run.mask, os.path.join(args.out, "reference_mask.png"))
    info = {
        "model": args.model,
        "checkpoint": args.checkpoint,
        "checkpoint_sha256": sha256_of(args.checkpoint),
        "image": args.image,
        "box": list(args.box),
        "height": int(run.mask.shape[0]),
        "width": int(run.mask.shape[1]),
        **mask_stats(run.mask, args.box),
        "values": "probability" if args.model == "vit_b" else "logit",
        "threshold": threshold,
        "band": BAND,
        "near_threshold": near_threshold(run.values, threshold),
        "near_threshold_1e-4": near_threshold(run.values, threshold, 1e-4),
        "fp16_embedding_differing": int((fp16_mask.astype(bool) != run.mask.astype(bool)).sum()),
        "seconds": round(seconds, 1),
    }
    write_json(os.path.join(args.out, "reference.json"), info)
    print(json.dumps(info, indent=2))
    return 0


def cmd_ours(args) -> int:
    torch.set_num_threads(args.threads)
    pixels = read_grey_png(args.image)
    os.makedirs(args.out, exist_ok=True)
    start = time.time()
    results = our_masks(args.bundle, pixels, args.box, args.runtime, args.input_resize)
    seconds = time.time() - start
    rules = results.pop("rules")
    tag = args.runtime + (f"_input-{args.input_resize}" if args.input_resize else "")
    reference = load_reference(args.reference) if args.reference else None
    summary = {
        "bundle": args.bundle,
        "runtime": args.runtime,
        "input_resize": args.input_resize or rules["resize"],
        **rules,
        "seconds": round(seconds, 1),
    }
    for name, r in results.items():
        stem = os.path.join(args.out, f"ours_{tag}_{name}")
        np.save(stem + "_mask.npy", r["mask"])
        np.save(stem + "_values.npy", r["values"])
        write_mask_png(r["mask"], stem + "_mask.png")
        summary[name] = mask_stats(r["mask"], args.box)
        if reference is not None:
            summary[name]["vs_reference"] = compare_masks(reference[0], r["mask"], reference[1])
            print_comparison(
                f"ours ({tag}, {name} embedding) vs reference",
                summary[name]["vs_reference"],
            )
    write_json(os.path.join(args.out, f"ours_{tag}.json"), summary)
    return 0


def cmd_segment(args) -> int:
    """Runs `medsam segment` (the Java pipeline) on the slice and compares with the reference."""
    os.makedirs(args.out, exist_ok=True)
    out_png = os.path.abspath(os.path.join(args.out, "java_mask.png"))
    command = [
        args.medsam,
        "segment",
        "--image",
        os.path.abspath(args.image),
        "--box",
        ",".join(map(str, args.box)),
        "--bundle",
        os.path.abspath(args.bundle),
        "--out",
        out_png,
    ]
    if args.slice:
        command += ["--slice", args.slice]
    print("$ " + " ".join(command), flush=True)
    start = time.time()
    subprocess.run(command, check=True, cwd=os.path.dirname(os.path.abspath(args.medsam)))
    seconds = time.time() - start
    java = load_mask(out_png)
    rle = load_mask(out_png[: -len(".png")] + ".json")
    if not np.array_equal(java, rle):
        raise RuntimeError("the PNG and the RLE JSON of medsam segment differ")
    result = {"seconds": round(seconds, 1), **mask_stats(java, args.box)}
    if args.reference:
        reference, near = load_reference(args.reference)
        result["vs_reference"] = compare_masks(reference, java, near)
        print_comparison("java vs reference", result["vs_reference"])
    write_json(os.path.join(args.out, "java.json"), result)
    return 0


def cmd_compare(args) -> int:
    reference, near = load_reference(args.reference)
    result = compare_masks(reference, load_mask(args.mask), near)
    print_comparison(f"{args.mask} vs {args.reference}", result)
    print(json.dumps(result))
    return 0


def _self(*argv) -> List[str]:
    return [sys.executable, os.path.abspath(__file__), *argv]


def _run(command: List[str]) -> None:
    print("$ " + " ".join(command), flush=True)
    start = time.time()
    subprocess.run(command, check=True, cwd=REPO)
    print(f"  ({time.time() - start:.0f} s)", flush=True)


def _json_field(path: str, *keys):
    """A nested field of a JSON file, or None when the file or a key is missing."""
    try:
        with open(path) as f:
            value = json.load(f)
        for key in keys:
            value = value[key]
        return value
    except (OSError, KeyError, TypeError, ValueError):
        return None


def _stale(force: bool, path: str, *expected: Tuple[Tuple[str, ...], object]) -> bool:
    """True when a step must run: --force, or its JSON output is missing or was made with other
    inputs (each expected item: (key path, value))."""
    return force or any(_json_field(path, *keys) != value for keys, value in expected)


def cmd_all(args) -> int:
    """Every step for each model, each in its own process (the two reference trees have
    different segment_anything packages); a step whose output exists and was made from the same
    inputs (seed, box, checkpoint hash) is kept unless --force."""
    work = os.path.abspath(args.work)
    src = {"vit_b": args.medsam_src or os.path.join(work, "medsam-main")}
    src["lite"] = args.lite_src or os.path.join(work, "medsam-lite")
    stubs = args.stubs or os.path.join(work, "stubs")
    image = os.path.join(work, "ch2_axial90.png")
    threads = ["--threads", str(args.threads)]
    box = args.box or DEFAULT_BOX
    box_list = list(parse_box(box))
    if args.force or not os.path.exists(image):
        _run(_self("slice", "--out", image))
    for model in args.models:
        seed = DEFAULT_SEEDS[model] if args.seed is None else args.seed
        ckpt = os.path.join(work, f"{model}_random.pth")
        bundle = os.path.join(work, f"bundle-{model}")
        ref = os.path.join(work, f"ref-{model}")
        common = ["--model", model, "--src", src[model], "--stubs", stubs, "--box", box]
        if _stale(
            args.force, ckpt + ".json", (("seed",), seed), (("calibration", "box"), box_list)
        ):
            checkpoint = ["checkpoint", *common, "--seed", str(seed), "--image", image]
            _run(_self(*checkpoint, "--out", ckpt, *threads))
        sha = sha256_of(ckpt)
        manifest = os.path.join(bundle, "manifest.json")
        if _stale(args.force, manifest, (("lineage", "source_checkpoint_sha256"), sha)):
            export = [sys.executable, os.path.join(MODEL_DIR, "export.py"), "--config", model]
            export += ["--checkpoint", ckpt, "--out", bundle, "--id", f"reference-check-{model}"]
            _run(export + ["--training-data", "none (random weights, model/reference_check.py)"])
        info = os.path.join(ref, "reference.json")
        if _stale(args.force, info, (("checkpoint_sha256",), sha), (("box",), box_list)):
            reference = ["reference", *common, "--checkpoint", ckpt, "--image", image]
            _run(_self(*reference, "--out", ref, *threads))
        ours = ["--bundle", bundle, "--image", image, "--box", box, "--reference", ref, *threads]
        for runtime in args.runtimes:
            out = os.path.join(work, f"ours-{model}")
            _run(_self("ours", *ours, "--out", out, "--runtime", runtime))
        java = ["--bundle", bundle, "--image", image, "--box", box, "--reference", ref]
        java += ["--out", os.path.join(work, f"java-{model}")]
        if args.java_repo:
            _run(_self("segment", "--medsam", os.path.join(args.java_repo, "medsam"), *java))
        else:
            print("Java path, from a built checkout:\n  " + " ".join(_self("segment", *java)))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def reference_options(p):
        p.add_argument("--model", required=True, choices=MODELS)
        p.add_argument("--src", required=True, help="reference tree (medsam-main or medsam-lite)")
        p.add_argument("--stubs", default=None, help="folder with the timm/torchvision stubs")

    def threads(p):
        p.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")

    p = command("prepare", cmd_prepare, "extract the reference trees, write stubs")
    p.add_argument("--mirror", required=True, help="git dir of bowang-lab/MedSAM")
    p.add_argument("--work", required=True)
    p = command("slice", cmd_slice, "write ch2 axial 90 (as the ingest makes it) as a grey PNG")
    p.add_argument("--out", required=True)
    p = command("checkpoint", cmd_checkpoint, "random-weight checkpoint from the reference code")
    reference_options(p)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--image", required=True, help="calibration image (grey PNG)")
    p.add_argument("--box", type=parse_box, default=parse_box(DEFAULT_BOX))
    p.add_argument("--out", required=True, help=".pth to write (state_dict); recipe in .pth.json")
    p.add_argument("--no-calibrate", dest="calibrate", action="store_false")
    p.add_argument(
        "--fraction", type=float, default=0.25, help="target positive fraction of the box"
    )
    p.add_argument("--logit-std", type=float, default=4.0)
    p.add_argument("--bn-shift", type=float, default=0.005, help="lite: BatchNorm mean/bias scale")
    threads(p)
    p = command("reference", cmd_reference, "run the reference inference script")
    reference_options(p)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--box", type=parse_box, default=parse_box(DEFAULT_BOX))
    p.add_argument("--out", required=True, help="folder for reference_mask.png/.npy, values, json")
    threads(p)
    p = command("ours", cmd_ours, "this project's Python path on a bundle")
    p.add_argument("--bundle", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--box", type=parse_box, default=parse_box(DEFAULT_BOX))
    p.add_argument("--out", required=True)
    p.add_argument("--runtime", choices=("torch", "onnx"), default="torch")
    p.add_argument(
        "--input-resize",
        default=None,
        choices=("stretch", "longest-side-pad", "medsam", "litemedsam"),
        help="encode the image with this resize rule instead of the manifest's (to predict a"
        " pipeline whose encoder input does not follow the manifest yet); boxes and masks keep"
        " the manifest's rules",
    )
    p.add_argument("--reference", default=None, help="reference folder to compare with")
    threads(p)
    p = command("segment", cmd_segment, "run `medsam segment` and compare with the reference")
    p.add_argument("--medsam", required=True, help="the medsam launcher of a built checkout")
    p.add_argument("--bundle", required=True)
    p.add_argument("--image", required=True, help="the slice PNG, or a volume with --slice")
    p.add_argument("--slice", default=None, help="AXIS:INDEX of a volume, e.g. axial:90")
    p.add_argument("--box", type=parse_box, default=parse_box(DEFAULT_BOX))
    p.add_argument("--out", required=True)
    p.add_argument("--reference", default=None)
    p = command("compare", cmd_compare, "agreement, DSC and areas of two masks")
    p.add_argument("--reference", required=True, help="reference folder or mask file")
    p.add_argument("--mask", required=True, help="mask: .png, .npy or medsam segment's .json")
    p = command("all", cmd_all, "every step for both models under --work")
    p.add_argument("--work", required=True)
    p.add_argument("--medsam-src", default=None, help="default WORK/medsam-main")
    p.add_argument("--lite-src", default=None, help="default WORK/medsam-lite")
    p.add_argument("--stubs", default=None, help="default WORK/stubs")
    p.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    p.add_argument("--box", default=None, help=f"x0,y0,x1,y1 (default {DEFAULT_BOX})")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--runtimes", nargs="+", choices=("torch", "onnx"), default=["torch"])
    p.add_argument("--java-repo", default=None, help="built checkout whose ./medsam to run")
    p.add_argument("--force", action="store_true", help="redo steps whose outputs exist")
    threads(p)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
