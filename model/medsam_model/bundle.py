"""Writes a model bundle (docs/architecture.md §2): encoder.onnx, decoder.onnx + decoder.onnx.data,
decoder.pt (TorchScript) and manifest.json, with lineage in the ONNX metadata."""

import hashlib
import json
import os
import subprocess
from typing import Dict, List, Optional, Set

import onnx
import torch

from .build import CONFIGS
from .sam import BoxDecoder, Sam

OPSET = 17
ENCODER_FILE = "encoder.onnx"
DECODER_FILE = "decoder.onnx"
DECODER_DATA_FILE = "decoder.onnx.data"
DECODER_TORCHSCRIPT_FILE = "decoder.pt"


class ExportError(RuntimeError):
    """The exported files violate the bundle contract."""


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def git_commit() -> str:
    """HEAD of the repository holding this file, "+dirty" when model/ has local changes."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", ".."], cwd=here, capture_output=True, text=True
        ).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _encoder_state_keys(encoder: torch.nn.Module) -> Set[str]:
    """The encoder's state_dict keys that the exported graph holds: all but BatchNorm's
    num_batches_tracked counters (they only matter for training with momentum=None)."""
    return {k for k in encoder.state_dict() if not k.endswith("num_batches_tracked")}


def _export_encoder(sam: Sam, path: str) -> None:
    """Exports the encoder unfolded, so that its initializers are exactly the image
    encoder's state_dict (names without the "image_encoder." prefix, BatchNorm counters
    excepted): the bundle alone then holds the whole model (see load_sam_from_bundle).

    The module is exported in train mode with TrainingMode.PRESERVE, which keeps the
    exporter from merging equal-valued weights (it does so in eval mode) and from folding
    BatchNorm into the preceding convolution (renamed, fused weights); every BatchNorm
    (TinyViT has them, ViT has none) is switched to eval mode alone, so it exports as an
    inference BatchNormalization over its running statistics. There is no dropout."""
    s = sam.image_size
    encoder = sam.image_encoder.train()
    for module in encoder.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.eval()
    try:
        torch.onnx.export(
            encoder,
            (torch.rand(1, 3, s, s),),
            path,
            input_names=["image"],
            output_names=["image_embeddings"],
            dynamic_axes={"image": {0: "N"}, "image_embeddings": {0: "N"}},
            opset_version=OPSET,
            training=torch.onnx.TrainingMode.PRESERVE,
            do_constant_folding=False,
        )
    finally:
        encoder.eval()
    check_encoder_onnx(path, encoder)


def check_encoder_onnx(path: str, encoder: torch.nn.Module) -> None:
    """Fails unless the initializers are exactly the encoder's state_dict keys (without
    num_batches_tracked) with their shapes, and every BatchNormalization is the inference
    form (one output, training_mode 0) reading its module's running statistics."""
    model = onnx.load(path)
    state = encoder.state_dict()
    inits = {init.name: list(init.dims) for init in model.graph.initializer}
    expected = _encoder_state_keys(encoder)
    if set(inits) != expected:
        raise ExportError(
            f"encoder initializers differ from the state_dict: {set(inits) ^ expected}"
        )
    for name, dims in inits.items():
        if dims != list(state[name].shape):
            raise ExportError(f"encoder initializer {name} has shape {dims}")
    for node in model.graph.node:
        if node.op_type != "BatchNormalization":
            continue
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if len(node.output) != 1 or attrs.get("training_mode", 0) != 0:
            raise ExportError(f"BatchNormalization {node.name} is in training form")
        prefix = node.input[1][: -len("weight")]
        stats = [prefix + "bias", prefix + "running_mean", prefix + "running_var"]
        if list(node.input[2:]) != stats:
            raise ExportError(f"BatchNormalization {node.name} reads {list(node.input[1:])}")


def load_sam_from_bundle(bundle_dir: str) -> Sam:
    """Rebuilds the PyTorch model from a bundle: encoder weights from encoder.onnx, prompt
    encoder and mask decoder weights from decoder.pt."""
    from onnx import numpy_helper

    from .build import build_sam

    with open(os.path.join(bundle_dir, "manifest.json")) as f:
        manifest = json.load(f)
    sam = build_sam(manifest["config"])
    state = {}
    encoder = onnx.load(os.path.join(bundle_dir, manifest["files"]["encoder"]))
    for init in encoder.graph.initializer:
        state["image_encoder." + init.name] = torch.from_numpy(numpy_helper.to_array(init).copy())
    for key, value in sam.state_dict().items():
        if key.endswith("num_batches_tracked"):
            state[key] = torch.zeros_like(value)  # not exported; unused in eval mode
    traced = torch.jit.load(os.path.join(bundle_dir, manifest["files"]["decoder_torchscript"]))
    state.update({k: v.detach().clone() for k, v in traced.state_dict().items()})
    sam.load_state_dict(state, strict=True)
    return sam.eval()


def _example_decoder_inputs(sam: Sam, n: int = 2):
    cfg = sam.prompt_encoder
    c = cfg.embed_dim
    h, w = cfg.image_embedding_size
    s = sam.image_size
    boxes = torch.tensor([[0.1 * s, 0.2 * s, 0.6 * s, 0.7 * s]] * n)
    return torch.randn(n, c, h, w), boxes


def _export_decoder(sam: Sam, out_dir: str) -> List[Dict]:
    """Exports decoder.onnx with every initializer external and named as in the state_dict;
    returns the manifest's decoder_initializers list."""
    # train() + PRESERVE: the exporter merges equal-valued weights (e.g. fresh LayerNorm
    # ones) in eval mode only; merged weights could not be replaced by name. The decoder has
    # no dropout or batch norm, so the mode does not change the computation.
    decoder = BoxDecoder(sam).train()
    tmp_path = os.path.join(out_dir, "decoder.inline.onnx")
    torch.onnx.export(
        decoder,
        _example_decoder_inputs(sam),
        tmp_path,
        input_names=["image_embeddings", "boxes"],
        output_names=["low_res_logits", "iou_predictions"],
        dynamic_axes={
            "image_embeddings": {0: "N"},
            "boxes": {0: "N"},
            "low_res_logits": {0: "N"},
            "iou_predictions": {0: "N"},
        },
        opset_version=OPSET,
        training=torch.onnx.TrainingMode.PRESERVE,
        # no folding: it would merge/rename weights (e.g. pre-transposed copies)
        do_constant_folding=False,
    )
    decoder.eval()
    model = onnx.load(tmp_path)
    os.remove(tmp_path)
    state = decoder.state_dict()
    foreign = [init.name for init in model.graph.initializer if init.name not in state]
    if foreign:
        raise ExportError(f"decoder initializers that are not state_dict keys: {foreign}")
    if any(node.op_type == "Identity" and node.input[0] in state for node in model.graph.node):
        raise ExportError("the exporter merged equal weights (Identity on an initializer)")
    _name_output_dims(model, sam)
    for name in list(state):
        if state[name].dtype != torch.float32:
            raise ExportError(f"{name} is {state[name].dtype}, the bundle holds float32 only")
    data_path = os.path.join(out_dir, DECODER_DATA_FILE)
    if os.path.exists(data_path):
        os.remove(data_path)
    onnx.save_model(
        model,
        os.path.join(out_dir, DECODER_FILE),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=DECODER_DATA_FILE,
        size_threshold=0,
    )
    check_decoder_onnx(os.path.join(out_dir, DECODER_FILE), state)
    return [
        {"name": init.name, "shape": list(init.dims), "dtype": "float32"}
        for init in model.graph.initializer
    ]


def _name_output_dims(model: onnx.ModelProto, sam: Sam) -> None:
    """Declares the static output dims (the exporter leaves them symbolic)."""
    low_res = 4 * sam.prompt_encoder.image_embedding_size[0]
    static = {"low_res_logits": [1, low_res, low_res], "iou_predictions": [1]}
    for output in model.graph.output:
        dims = output.type.tensor_type.shape.dim
        for dim, value in zip(dims[1:], static[output.name]):
            dim.Clear()
            dim.dim_value = value


def check_decoder_onnx(path: str, state: Dict[str, torch.Tensor]) -> None:
    """Fails unless every initializer is external data in decoder.onnx.data, is named as a
    state_dict key and has that key's shape."""
    model = onnx.load(path, load_external_data=False)
    if not model.graph.initializer:
        raise ExportError("decoder.onnx has no initializers")
    for init in model.graph.initializer:
        if init.data_location != onnx.TensorProto.EXTERNAL:
            raise ExportError(f"initializer {init.name} is not external")
        location = {e.key: e.value for e in init.external_data}.get("location")
        if location != DECODER_DATA_FILE:
            raise ExportError(f"initializer {init.name} stored in {location}")
        if init.name not in state:
            raise ExportError(f"initializer {init.name} is not a state_dict key")
        if list(init.dims) != list(state[init.name].shape):
            raise ExportError(f"initializer {init.name} has shape {list(init.dims)}")
        if init.data_type != onnx.TensorProto.FLOAT:
            raise ExportError(f"initializer {init.name} is not float32")


def _export_torchscript(sam: Sam, path: str) -> None:
    decoder = BoxDecoder(sam).eval()
    traced = torch.jit.trace(decoder, _example_decoder_inputs(sam), check_trace=False)
    check = _example_decoder_inputs(sam, n=3)
    with torch.no_grad():
        expected = decoder(*check)
        got = traced(*check)
    for e, g in zip(expected, got):
        if e.shape != g.shape or not torch.allclose(e, g, atol=1e-5):
            raise ExportError("TorchScript decoder does not reproduce the module at batch 3")
    traced.save(path)


def _set_metadata(path: str, metadata: Dict[str, str], external: bool) -> None:
    model = onnx.load(path, load_external_data=False)
    del model.metadata_props[:]
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    model.producer_name = "medsam-stream model/export.py"
    if external:
        # the initializers keep pointing at decoder.onnx.data; only the graph file changes
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
    else:
        onnx.save_model(model, path)


def export_bundle(
    sam: Sam,
    config: str,
    out_dir: str,
    bundle_id: str,
    version: str,
    source_checkpoint: Optional[str],
    training_data: str,
    extra_lineage: Optional[Dict] = None,
) -> Dict:
    """Exports all bundle files into out_dir and returns the manifest written there."""
    cfg = CONFIGS[config]
    os.makedirs(out_dir, exist_ok=True)
    sam = sam.eval()
    lineage = {
        "producer": "medsam-stream model/export.py",
        "config": config,
        "source_checkpoint_sha256": source_checkpoint or "random-init",
        "training_data": training_data,
        "git_commit": git_commit(),
        "torch_version": torch.__version__,
        "onnx_opset": OPSET,
    }
    lineage.update(extra_lineage or {})
    with torch.no_grad():
        _export_encoder(sam, os.path.join(out_dir, ENCODER_FILE))
        initializers = _export_decoder(sam, out_dir)
    _export_torchscript(sam, os.path.join(out_dir, DECODER_TORCHSCRIPT_FILE))

    metadata = {
        "id": bundle_id,
        "version": version,
        "producer": lineage["producer"],
        "config": config,
        "source_checkpoint_sha256": lineage["source_checkpoint_sha256"],
        "training_data": training_data,
        "git_commit": lineage["git_commit"],
        "model_config": json.dumps(cfg.as_dict()),
    }
    _set_metadata(os.path.join(out_dir, ENCODER_FILE), dict(metadata, role="encoder"), False)
    _set_metadata(os.path.join(out_dir, DECODER_FILE), dict(metadata, role="decoder"), True)

    manifest = {
        "id": bundle_id,
        "version": version,
        "config": config,
        "image_size": cfg.image_size,
        "resize": cfg.resize,
        "embedding_shape": [cfg.prompt_embed_dim, cfg.grid, cfg.grid],
        "low_res_size": cfg.low_res_size,
        **({"mask_rule": cfg.mask_rule} if cfg.mask_rule is not None else {}),
        "files": {
            "encoder": ENCODER_FILE,
            "decoder": DECODER_FILE,
            "decoder_data": DECODER_DATA_FILE,
            "decoder_torchscript": DECODER_TORCHSCRIPT_FILE,
        },
        "trainable_prefix": "mask_decoder.",
        "decoder_initializers": initializers,
        "lineage": lineage,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest
