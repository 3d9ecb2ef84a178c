"""Paper preprocessing and postprocessing shared by training, evaluation and goldens
(docs/architecture.md §3 and the README's Conventions: slicing, intensity, resize, boxes, masks)."""

from typing import Tuple

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F

AXES = ("axial", "coronal", "sagittal")


def load_volume(path: str) -> Tuple[np.ndarray, Tuple[float, float, float]]:
    """NIfTI volume in voxel order vol[i, j, k] and its voxel spacing (dx, dy, dz)."""
    img = nib.load(path)
    vol = np.asarray(img.dataobj)
    return vol, tuple(float(z) for z in img.header.get_zooms()[:3])


def slice_count(shape: Tuple[int, int, int], axis: str) -> int:
    return {"axial": shape[2], "coronal": shape[1], "sagittal": shape[0]}[axis]


def extract_slice(vol: np.ndarray, axis: str, index: int) -> np.ndarray:
    """H x W image, no reorientation: axial image[r][c] = vol[c][r][k], coronal
    image[r][c] = vol[c][j][r], sagittal image[r][c] = vol[i][c][r]."""
    if axis == "axial":
        return vol[:, :, index].T
    if axis == "coronal":
        return vol[:, index, :].T
    if axis == "sagittal":
        return vol[index, :, :].T
    raise ValueError(axis)


def slice_spacing(spacing: Tuple[float, float, float], axis: str) -> Tuple[float, float]:
    """(row spacing, column spacing) of a slice along axis."""
    dx, dy, dz = spacing
    return {"axial": (dy, dx), "coronal": (dz, dx), "sagittal": (dz, dy)}[axis]


def percentile_window(vol: np.ndarray) -> Tuple[float, float]:
    """0.5th and 99.5th percentiles (numpy linear interpolation) of the non-zero voxels."""
    nonzero = vol[vol != 0].astype(np.float64)
    return float(np.percentile(nonzero, 0.5)), float(np.percentile(nonzero, 99.5))


def normalize_intensity(vol: np.ndarray, low: float, high: float) -> np.ndarray:
    """MedSAM's MR/other preprocessing: clip, scale to [0, 255], zero voxels stay zero,
    truncate to uint8."""
    v = vol.astype(np.float64)
    scaled = (np.clip(v, low, high) - low) / (high - low) * 255.0
    scaled[v == 0] = 0.0
    return scaled.astype(np.uint8)


def model_input(pixels: np.ndarray, image_size: int) -> torch.Tensor:
    """H x W uint8 -> 1 x 3 x S x S float32: grey to 3 channels, bilinear "stretch" resize
    (align_corners=False), per-image min-max to [0, 1] (zeros if flat)."""
    grey = torch.from_numpy(pixels.astype(np.float32))[None, None]
    resized = F.interpolate(grey, (image_size, image_size), mode="bilinear", align_corners=False)
    lo, hi = resized.min(), resized.max()
    if float(hi - lo) > 0:
        resized = (resized - lo) / (hi - lo)
    else:
        resized = torch.zeros_like(resized)
    return resized.expand(1, 3, image_size, image_size).contiguous()


def box_to_model(box, height: int, width: int, image_size: int) -> np.ndarray:
    """Original x0, y0, x1, y1 -> model space with the "stretch" rule."""
    x0, y0, x1, y1 = box
    sx, sy = image_size / width, image_size / height
    return np.array([x0 * sx, y0 * sy, x1 * sx, y1 * sy], dtype=np.float32)


def box_of_mask(mask: np.ndarray) -> Tuple[int, int, int, int]:
    """[min col, min row, max col, max row] (inclusive) of a non-empty mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def upsample_logits(low_res: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """... x L x L logits -> ... x H x W, bilinear, align_corners=False."""
    shape = low_res.shape
    x = low_res.reshape(-1, 1, shape[-2], shape[-1])
    up = F.interpolate(x, (height, width), mode="bilinear", align_corners=False)
    return up.reshape(*shape[:-2], height, width)


# --- Per-bundle reference rules (manifest "resize" and "mask_rule") -------------------------
#
# resize: "stretch" and "longest-side-pad" resize bilinearly (F.interpolate, no antialias);
# "medsam" and "litemedsam" reproduce the reference scripts (MedSAM_Inference.py: skimage
# order-3 anti-aliased resize; CVPR24_LiteMedSAM_infer.py: OpenCV INTER_AREA, longest side).
# mask_rule: "logits" (absent in older manifests), "medsam", "litemedsam".

RESIZE_RULES = ("stretch", "longest-side-pad", "medsam", "litemedsam")
MASK_RULES = ("logits", "medsam", "litemedsam")
PADDED_RULES = ("longest-side-pad", "litemedsam")


def _check_resize_rule(rule: str) -> None:
    if rule not in RESIZE_RULES:
        raise ValueError(f"unknown resize rule {rule!r}; known: {RESIZE_RULES}")


def content_size(rule: str, height: int, width: int, size: int) -> Tuple[int, int]:
    """(rows, columns) of the image content inside the S x S input: S x S for the stretching
    rules; for the padded rules each side times S / max(H, W), rounded as LiteMedSAM does
    (int(x + 0.5))."""
    _check_resize_rule(rule)
    if rule not in PADDED_RULES:
        return size, size
    scale = size * 1.0 / max(height, width)
    return int(height * scale + 0.5), int(width * scale + 0.5)


def resize_medsam(pixels: np.ndarray, size: int) -> np.ndarray:
    """H x W (grey) or H x W x C uint8 -> S x S x C uint8 (C = 3 for grey, replicated first as
    MedSAM_Inference.py does) exactly as skimage.transform.resize(img, (S, S), order=3,
    preserve_range=True, anti_aliasing=True).astype(np.uint8) (skimage 0.19, SciPy >= 1.6) on
    the H x W x C image: float64; Gaussian prefilter with sigma = max(0, (in / out - 1) / 2) per
    axis (mode "mirror", truncate 4); cubic B-spline zoom sampling (o + 0.5) * in / out - 0.5
    on every axis, the channel axis included (mode "mirror", grid_mode); clip to the input's
    [min, max]; truncate to uint8. The channel axis is not a no-op: its spline prefilter
    rounds, so where a value lands on an integer the truncation can differ between channels
    and from a 2D resize of one channel."""
    from scipy import ndimage

    image = pixels if pixels.ndim == 3 else np.repeat(pixels[:, :, None], 3, axis=2)
    image = image.astype(np.float64)
    out_shape = np.array([size, size, image.shape[2]], dtype=np.float64)
    factors = np.array(image.shape, dtype=np.float64) / out_shape
    sigma = np.maximum(0.0, (factors - 1.0) / 2.0)
    filtered = ndimage.gaussian_filter(image, sigma, mode="mirror", cval=0.0)
    out = ndimage.zoom(filtered, 1.0 / factors, order=3, mode="mirror", cval=0.0, grid_mode=True)
    np.clip(out, image.min(), image.max(), out=out)
    return out.astype(np.uint8)


def _opencv_scale(n_in: int, n_out: int) -> float:
    """Source pixels per output pixel as OpenCV computes it: 1 / (n_out / n_in) in double,
    which can differ from n_in / n_out in the last bit; floor(d * scale) at exact multiples
    (e.g. 72 * 136 / 192 = 51) depends on it."""
    return 1.0 / (n_out / n_in)


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """n_out x n_in weights of OpenCV's INTER_AREA decimation along one axis (n_in >= n_out):
    output cell d covers source interval [d * k, (d + 1) * k), k = n_in / n_out; each source
    pixel weighs its overlap with that cell divided by the cell width."""
    scale = _opencv_scale(n_in, n_out)
    weights = np.zeros((n_out, n_in))
    for d in range(n_out):
        f1 = d * scale
        f2 = f1 + scale
        cell = min(scale, n_in - f1)
        s1, s2 = int(np.ceil(f1)), int(np.floor(f2))
        s2 = min(s2, n_in - 1)
        s1 = min(s1, s2)
        if s1 - f1 > 1e-3:  # OpenCV's tolerance for a partial first pixel
            weights[d, s1 - 1] += (s1 - f1) / cell
        weights[d, s1:s2] += 1.0 / cell
        if f2 - s2 > 1e-3:
            weights[d, s2] += min(f2 - s2, 1.0, cell) / cell
    return weights


def _area_upscale_coefficients(n_in: int, n_out: int) -> Tuple[np.ndarray, np.ndarray]:
    """OpenCV's INTER_AREA when enlarging: output d blends source sx = floor(d * in / out)
    and sx + 1 with weight f = frac((d + 1) - (sx + 1) * out / in) (0 when that is <= 0) on
    sx + 1; weights are 11-bit fixed point (round(w * 2048)). Returns (sx, weight of sx + 1
    in 1/2048)."""
    inv = n_out / n_in
    scale = _opencv_scale(n_in, n_out)
    index = np.zeros(n_out, dtype=np.int64)
    alpha = np.zeros(n_out, dtype=np.int64)
    for d in range(n_out):
        sx = int(np.floor(d * scale))
        f = np.float32((d + 1) - (sx + 1) * inv)
        f = np.float32(0.0) if f <= 0 else f - np.float32(np.floor(f))
        if sx >= n_in - 1:
            sx, f = n_in - 1, np.float32(0.0)
        index[d] = sx
        alpha[d] = int(np.round(f * 2048))
    return index, alpha


def _area_taps(n_in: int, n_out: int) -> Tuple[np.ndarray, np.ndarray]:
    """_area_weights as n_out x k (source index, float32 weight) in increasing source order,
    padded with zero weights."""
    weights = _area_weights(n_in, n_out).astype(np.float32)
    k = int((weights != 0).sum(axis=1).max())
    index = np.zeros((n_out, k), dtype=np.int64)
    alpha = np.zeros((n_out, k), dtype=np.float32)
    for d in range(n_out):
        nz = np.flatnonzero(weights[d])
        index[d, : len(nz)] = nz
        alpha[d, : len(nz)] = weights[d, nz]
    return index, alpha


def _area_shrink(pixels: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """OpenCV's area decimation in its float32 order: per source row, horizontal sums of
    pixel * weight in increasing column order; per output row, sum of row weight * that
    row's sums in increasing row order; rounded half to even."""
    xi, xa = _area_taps(pixels.shape[1], out_w)
    yi, ya = _area_taps(pixels.shape[0], out_h)
    src = pixels.astype(np.float32)
    rows = np.zeros((pixels.shape[0], out_w), dtype=np.float32)
    for k in range(xi.shape[1]):
        rows += src[:, xi[:, k]] * xa[:, k]
    out = np.zeros((out_h, out_w), dtype=np.float32)
    for k in range(yi.shape[1]):
        out += ya[:, k, None] * rows[yi[:, k]]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def resize_area(pixels: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """H x W uint8 -> out_h x out_w uint8 like cv2.resize(img, (out_w, out_h),
    interpolation=cv2.INTER_AREA) (OpenCV 4.6, x86 build; exact on every case tried). Three
    paths, chosen as OpenCV does:
    - integer shrink factors on both axes: block mean; for 2 x 2 rounded half up
      ((sum + 2) >> 2), otherwise rounded half to even;
    - shrinking (in / out >= 1 on both axes): separable area weights (_area_weights),
      accumulated in float32 in OpenCV's order (_area_shrink), rounded half to even;
    - otherwise (enlarging): bilinear-like blend (_area_upscale_coefficients), horizontal
      pass in integers, vertical pass ((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16),
      then (v + 2) >> 2."""
    h, w = pixels.shape
    sy, sx = _opencv_scale(h, out_h), _opencv_scale(w, out_w)
    if sy >= 1 and sx >= 1:
        ky, kx = int(round(sy)), int(round(sx))
        eps = np.finfo(np.float64).eps  # OpenCV: DBL_EPSILON
        if abs(sy - ky) < eps and abs(sx - kx) < eps:
            blocks = pixels[: out_h * ky, : out_w * kx].astype(np.int64)
            total = blocks.reshape(out_h, ky, out_w, kx).sum(axis=(1, 3))
            if ky == 2 and kx == 2:
                return ((total + 2) >> 2).astype(np.uint8)
            mean = total.astype(np.float32) * np.float32(1.0 / (ky * kx))
            return np.clip(np.rint(mean), 0, 255).astype(np.uint8)
        return _area_shrink(pixels, out_h, out_w)
    xi, xa = _area_upscale_coefficients(w, out_w)
    yi, ya = _area_upscale_coefficients(h, out_h)
    src = pixels.astype(np.int64)
    rows = src[:, xi] * (2048 - xa) + src[:, np.minimum(xi + 1, w - 1)] * xa
    r0, r1 = rows[yi] >> 4, rows[np.minimum(yi + 1, h - 1)] >> 4
    v = (((2048 - ya)[:, None] * r0) >> 16) + ((ya[:, None] * r1) >> 16)
    return ((v + 2) >> 2).astype(np.uint8)


def resized_content(pixels: np.ndarray, rule: str, size: int) -> np.ndarray:
    """The resized image content before min-max and padding, h x w x 3 with h x w =
    content_size(...): float32 for the bilinear rules ("stretch", "longest-side-pad"), uint8
    for "medsam" (after the cast; its channels can differ, see resize_medsam) and
    "litemedsam" (OpenCV's uint8 output). Grey in, channels replicated."""
    height, width = pixels.shape
    h, w = content_size(rule, height, width, size)
    if rule == "medsam":
        return resize_medsam(pixels, size)
    if rule == "litemedsam":
        grey = resize_area(pixels, h, w)
    else:
        t = torch.from_numpy(pixels.astype(np.float32))[None, None]
        grey = F.interpolate(t, (h, w), mode="bilinear", align_corners=False)[0, 0].numpy()
    return np.repeat(grey[:, :, None], 3, axis=2)


def model_input_for(pixels: np.ndarray, rule: str, size: int) -> torch.Tensor:
    """H x W uint8 -> 1 x 3 x S x S float32 under a resize rule: resized content, min-max to
    [0, 1] over the content, all channels (zeros if flat), zero padding bottom/right for the
    padded rules. The reference rules compute the min-max in float64 as numpy does, with
    MedSAM's 1e-8 floor on the range, then cast."""
    content = resized_content(pixels, rule, size)
    h, w = content.shape[:2]
    if rule in ("medsam", "litemedsam"):
        c = content.astype(np.float64)
        lo, hi = c.min(), c.max()
        normed = torch.from_numpy(((c - lo) / max(hi - lo, 1e-8)).astype(np.float32))
    else:
        c = torch.from_numpy(content)
        lo, hi = c.min(), c.max()
        normed = (c - lo) / (hi - lo) if float(hi - lo) > 0 else torch.zeros_like(c)
    out = torch.zeros(1, 3, size, size)
    out[0, :, :h, :w] = normed.permute(2, 0, 1)
    return out


def box_to_model_for(box, height: int, width: int, size: int, rule: str) -> np.ndarray:
    """Original x0, y0, x1, y1 -> model space: "stretch" x * S / W, y * S / H; "medsam" the
    same as MedSAM computes it (x / W * S in float64); "longest-side-pad" both axes times
    S / max(H, W); "litemedsam" int(x * (S / max(H, W))) (truncation, as LiteMedSAM)."""
    _check_resize_rule(rule)
    b = np.asarray(box, dtype=np.float64)
    if rule == "stretch":
        return box_to_model(box, height, width, size)
    if rule == "medsam":
        return (b / np.array([width, height, width, height], dtype=np.float64) * size).astype(
            np.float32
        )
    ratio = size / max(height, width)
    if rule == "litemedsam":
        return np.array([int(v * ratio) for v in b], dtype=np.float32)
    return (b * ratio).astype(np.float32)


def _crop_to_content(low_res: torch.Tensor, resize_rule: str, height: int, width: int, size: int):
    """... x L x L -> ... x h x w: the part of the logits that covers the resized content
    (brought to S x S first when L != S)."""
    h, w = content_size(resize_rule, height, width, size)
    if low_res.shape[-1] != size:
        low_res = upsample_logits(low_res, size, size)
    return low_res[..., :h, :w]


def mask_for(
    low_res: torch.Tensor, height: int, width: int, size: int, resize_rule: str, mask_rule: str
) -> Tuple[torch.Tensor, np.ndarray]:
    """... x L x L low-res logits -> (values ... x H x W, mask ... x H x W uint8 0/1).

    - "logits": logits (cropped to the content first for the padded resize rules), bilinear
      (align_corners=False) to H x W; mask = value > 0; values are logits.
    - "medsam": sigmoid, then bilinear on the probabilities (cropped to the content first for
      the padded resize rules; MedSAM itself never pads) to H x W; mask = value > 0.5; values
      are probabilities.
    - "litemedsam": crop to the content, bilinear to H x W, mask = sigmoid(value) > 0.5 in
      float32; values are the upsampled logits."""
    if mask_rule not in MASK_RULES:
        raise ValueError(f"unknown mask rule {mask_rule!r}; known: {MASK_RULES}")
    _check_resize_rule(resize_rule)
    if mask_rule == "medsam":
        probs = torch.sigmoid(low_res)
        if resize_rule in PADDED_RULES:
            probs = _crop_to_content(probs, resize_rule, height, width, size)
        probs = upsample_logits(probs, height, width)
        return probs, (probs > 0.5).numpy().astype(np.uint8)
    if mask_rule == "litemedsam" or resize_rule in PADDED_RULES:
        low_res = _crop_to_content(low_res, resize_rule, height, width, size)
    up = upsample_logits(low_res, height, width)
    if mask_rule == "litemedsam":
        return up, (torch.sigmoid(up) > 0.5).numpy().astype(np.uint8)
    return up, (up > 0).numpy().astype(np.uint8)
