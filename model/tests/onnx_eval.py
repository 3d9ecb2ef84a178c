"""A minimal ONNX interpreter for the op set our encoder graphs use (opset 17), so that Python
tests can run an exported graph without ONNX Runtime (not installable here). Each op follows
the ONNX operator spec, implemented with torch tensor ops; it reads only the ONNX file, never
the PyTorch module. Not a general runtime: unknown ops raise."""

from typing import Dict, List

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

_DTYPES = {
    onnx.TensorProto.FLOAT: torch.float32,
    onnx.TensorProto.DOUBLE: torch.float64,
    onnx.TensorProto.INT64: torch.int64,
    onnx.TensorProto.INT32: torch.int32,
    onnx.TensorProto.BOOL: torch.bool,
}


def _tensor(proto) -> torch.Tensor:
    return torch.from_numpy(np.array(numpy_helper.to_array(proto)))


def _attrs(node) -> Dict:
    out = {}
    for a in node.attribute:
        value = onnx.helper.get_attribute_value(a)
        if isinstance(value, bytes):
            value = value.decode()
        out[a.name] = _tensor(value) if isinstance(value, onnx.TensorProto) else value
    return out


def _ints(t: torch.Tensor) -> List[int]:
    return [int(v) for v in t.reshape(-1).tolist()]


def _div(a, b):
    if a.is_floating_point():
        return a / b
    return torch.div(a, b, rounding_mode="trunc")


def _reshape(x, shape, allowzero=0):
    dims = _ints(shape)
    if not allowzero:
        dims = [x.shape[i] if d == 0 else d for i, d in enumerate(dims)]
    return x.reshape(dims)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = _ints(axes) if axes is not None else list(range(len(_ints(starts))))
    steps = _ints(steps) if steps is not None else [1] * len(axes)
    for a, s, e, st in zip(axes, _ints(starts), _ints(ends), steps):
        n = x.shape[a]
        s, e = s + n if s < 0 else s, e + n if e < 0 else e
        if st > 0:
            s, e = max(0, min(n, s)), max(0, min(n, e))
        else:  # the spec's clamping for negative steps
            s, e = max(0, min(n - 1, s)), max(-1, min(n - 1, e))
        x = torch.index_select(x, a, torch.tensor(list(range(s, e, st)), dtype=torch.long))
    return x


def _pad(x, pads, value=None, mode="constant"):
    if mode != "constant":
        raise NotImplementedError(mode)
    p = _ints(pads)
    n = x.dim()
    torch_pads = []
    for axis in reversed(range(n)):  # torch: last axis first, (begin, end)
        torch_pads += [p[axis], p[axis + n]]
    fill = 0.0 if value is None or value.numel() == 0 else float(value.reshape(-1)[0])
    return F.pad(x, torch_pads, value=fill)


def _conv(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1), group=1, **_):
    if pads[0] != pads[2] or pads[1] != pads[3]:
        raise NotImplementedError("asymmetric Conv padding")
    return F.conv2d(x, w, b, list(strides), [pads[0], pads[1]], list(dilations), group)


def _conv_transpose(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0), group=1, **attrs):
    if any(pads) or attrs.get("output_padding") or attrs.get("dilations", [1, 1]) != [1, 1]:
        raise NotImplementedError("ConvTranspose with padding or dilation")
    return F.conv_transpose2d(x, w, b, list(strides), 0, 0, group)


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    a = a.t() if transA else a
    b = b.t() if transB else b
    y = alpha * (a @ b)
    return y if c is None else y + beta * c


def _batch_norm(x, scale, bias, mean, var, epsilon=1e-5, training_mode=0, **_):
    if training_mode:
        raise NotImplementedError("training-mode BatchNormalization")
    shape = [1, -1] + [1] * (x.dim() - 2)
    return (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + epsilon) * scale.reshape(
        shape
    ) + bias.reshape(shape)


def _layer_norm(x, scale, bias=None, axis=-1, epsilon=1e-5, **_):
    axis = axis % x.dim()
    return F.layer_norm(x, x.shape[axis:], scale, bias, epsilon)


def _split(x, split=None, axis=0, num_outputs=None):
    if split is None:
        raise NotImplementedError("Split without sizes")
    return list(torch.split(x, _ints(split), dim=axis))


def _gather(x, i, axis):
    axis = axis % x.dim()
    flat = torch.where(i < 0, i + x.shape[axis], i).reshape(-1)
    return torch.index_select(x, axis, flat).reshape(x.shape[:axis] + i.shape + x.shape[axis + 1 :])


def _shape(x, start=0, end=None):
    return torch.tensor(list(x.shape), dtype=torch.int64)[start:end]


OPS = {
    "Add": lambda a, b: a + b,
    "Sub": lambda a, b: a - b,
    "Mul": lambda a, b: a * b,
    "Div": _div,
    "Pow": lambda a, b: torch.pow(a, b),
    "Sqrt": torch.sqrt,
    "Erf": torch.erf,
    "Sin": torch.sin,
    "Cos": torch.cos,
    "Relu": torch.relu,
    "Equal": torch.eq,
    "Where": torch.where,
    "Expand": lambda x, shape: x * torch.ones(_ints(shape), dtype=x.dtype),
    "Gemm": _gemm,
    "ConvTranspose": _conv_transpose,
    "MatMul": torch.matmul,
    "Mod": lambda a, b, fmod=0: torch.fmod(a, b) if fmod else torch.remainder(a, b),
    "Cast": lambda x, to: x.to(_DTYPES[to]),
    "Shape": _shape,
    "Gather": lambda x, i, axis=0: _gather(x, i, axis),
    "Unsqueeze": lambda x, axes: x.reshape(
        _unsqueezed_shape(list(x.shape), _ints(axes), x.dim() + len(_ints(axes)))
    ),
    "Squeeze": lambda x, axes=None: x.squeeze() if axes is None else _squeeze(x, _ints(axes)),
    "Concat": lambda *xs, axis: torch.cat(xs, dim=axis),
    "Reshape": _reshape,
    "Transpose": lambda x, perm: x.permute(*perm),
    "Slice": _slice,
    "Pad": _pad,
    "ConstantOfShape": lambda shape, value=None: torch.full(
        _ints(shape),
        0.0 if value is None else value.reshape(-1)[0].item(),
        dtype=torch.float32 if value is None else value.dtype,
    ),
    "Conv": _conv,
    "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm,
    "ReduceMean": lambda x, axes, keepdims=1: x.mean(dim=axes, keepdim=bool(keepdims)),
    "Softmax": lambda x, axis=-1: torch.softmax(x, dim=axis),
    "Split": _split,
    "Range": lambda start, limit, delta: torch.arange(start.item(), limit.item(), delta.item()),
    "Clip": lambda x, lo=None, hi=None: torch.clamp(x, lo, hi),
    "Einsum": lambda *xs, equation: torch.einsum(equation, *xs),
}


def _unsqueezed_shape(shape, axes, rank):
    axes = sorted(a % rank for a in axes)
    for a in axes:
        shape.insert(a, 1)
    return shape


def _squeeze(x, axes):
    for a in sorted((a % x.dim() for a in axes), reverse=True):
        x = x.squeeze(a)
    return x


def run(path: str, inputs: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Evaluates the graph in path on inputs (name -> tensor); returns its outputs."""
    model = onnx.load(path)
    values = {init.name: _tensor(init) for init in model.graph.initializer}
    values.update(inputs)
    with torch.no_grad():
        for node in model.graph.node:
            attrs = _attrs(node)
            if node.op_type == "Constant":
                values[node.output[0]] = attrs["value"]
                continue
            if node.op_type not in OPS:
                raise NotImplementedError(node.op_type)
            args = [values[n] if n else None for n in node.input]
            while args and args[-1] is None:
                args.pop()
            result = OPS[node.op_type](*args, **attrs)
            outputs = result if isinstance(result, list) else [result]
            for name, value in zip(node.output, outputs):
                values[name] = value
    return {o.name: values[o.name] for o in model.graph.output}
