"""PyTorch baseline of `medsam bench encoder`: slices/s of the image encoder's forward pass.

    /usr/bin/python3 model/bench_pytorch_encoder.py (--bundle DIR | --config NAME) \
        [--slices N] [--threads T] [--batch B] [--volume NIFTI | --synthetic]

Builds the model in eval mode: with --bundle, the bundle's own weights (load_sam_from_bundle:
the same model as its encoder.onnx); with --config, a random init (seed 0), which is as good for
timing. The N model inputs are computed first (ch2 axial slices walked as the Java benchmark
walks them, MR percentile window, the bundle's resize rule; or seeded uniform noise with
--synthetic), then one untimed forward warms up and the timed loop runs
`image_encoder(x)` under torch.no_grad() on batches of B (LiteMedSAM's inference script runs one
image at a time: B = 1) with torch.set_num_threads(T) and one inter-op thread. Only the forward
passes are timed. The last line printed on stdout is one JSON object; errors go to stderr with
exit status 2.

The Java benchmark runs it with MALLOC_MMAP_MAX_=0 and a large MALLOC_TRIM_THRESHOLD_ (glibc
keeps freed memory instead of an mmap/munmap per tensor above 32 MiB, which made the `lite`
forward pass 4.6 times slower here); the JSON line reports those variables under "malloc_env".
"""

import argparse
import json
import os
import sys
import time

DEFAULT_VOLUME = "/usr/share/mricron/templates/ch2.nii.gz"
MALLOC_VARIABLES = ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")


def _fail(message: str) -> int:
    print(f"bench_pytorch_encoder: {message}", file=sys.stderr)
    return 2


def axial_inputs(volume: str, count: int, rule: str, size: int):
    """count x 3 x S x S: the axial slices the Java benchmark uses (index available / 4 + i,
    cycled), MR percentile window, model input under the resize rule."""
    import torch

    from medsam_model import preprocess

    vol, _ = preprocess.load_volume(volume)
    low, high = preprocess.percentile_window(vol)
    available = preprocess.slice_count(vol.shape, "axial")
    inputs = []
    for i in range(count):
        k = (available // 4 + i) % available
        pixels = preprocess.normalize_intensity(
            preprocess.extract_slice(vol, "axial", k), low, high
        )
        inputs.append(preprocess.model_input_for(pixels, rule, size))
    return torch.cat(inputs)


def measure(encoder, inputs, batch: int) -> float:
    """Seconds for the forward passes over inputs in batches of `batch`, after one warm-up."""
    import torch

    with torch.no_grad():
        encoder(inputs[:batch])
        start = time.perf_counter()
        for i in range(0, inputs.shape[0], batch):
            encoder(inputs[i : i + batch])
        return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--bundle", help="bundle folder: its config and its weights")
    source.add_argument("--config", help="registered config, random init (seed 0)")
    parser.add_argument("--slices", type=int, default=64, help="N, slices timed (default 64)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--batch", type=int, default=1, help="images per forward (default 1)")
    inputs_from = parser.add_mutually_exclusive_group()
    inputs_from.add_argument("--volume", default=DEFAULT_VOLUME, help="NIfTI volume (axial)")
    inputs_from.add_argument("--synthetic", action="store_true", help="seeded noise inputs")
    args = parser.parse_args(argv)
    if args.slices < 1 or args.threads < 1 or args.batch < 1:
        return _fail("--slices, --threads and --batch must be >= 1")

    try:
        import torch
    except ImportError as e:
        return _fail(f"PyTorch is not importable with {sys.executable}: {e}")
    # before any parallel work; set_num_interop_threads may be called only once per process
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    from medsam_model.build import CONFIGS, build_sam

    if args.bundle is not None:
        from medsam_model.bundle import load_sam_from_bundle

        manifest_path = os.path.join(args.bundle, "manifest.json")
        if not os.path.isfile(manifest_path):
            return _fail(f"no manifest.json in {args.bundle}")
        with open(manifest_path) as f:
            config = json.load(f)["config"]
        if config not in CONFIGS:
            return _fail(f"bundle config {config!r} is not one of {sorted(CONFIGS)}")
        sam = load_sam_from_bundle(args.bundle)
        weights = "bundle"
    else:
        config = args.config
        if config not in CONFIGS:
            return _fail(f"unknown config {config!r}; known: {sorted(CONFIGS)}")
        torch.manual_seed(0)
        sam = build_sam(config)
        weights = "random-init"
    cfg = CONFIGS[config]
    size = cfg.image_size

    if args.synthetic:
        inputs = torch.rand(args.slices, 3, size, size, generator=torch.Generator().manual_seed(0))
        source_name = "synthetic"
    else:
        if not os.path.isfile(args.volume):
            return _fail(f"no volume {args.volume} (use --synthetic)")
        inputs = axial_inputs(args.volume, args.slices, cfg.resize, size)
        source_name = f"{args.volume} axial, resize {cfg.resize}"

    encoder = sam.image_encoder.eval()
    seconds = measure(encoder, inputs, args.batch)
    result = {
        "slices_per_s": round(args.slices / seconds, 4),
        "seconds": round(seconds, 4),
        "slices": args.slices,
        "batch_size": args.batch,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "config": config,
        "image_size": size,
        "weights": weights,
        "inputs": source_name,
        "torch_version": torch.__version__,
        "malloc_env": {k: os.environ.get(k) for k in MALLOC_VARIABLES},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
