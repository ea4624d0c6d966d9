#!/usr/bin/env python3
"""Packs the crops that `moodline crops` wrote into one .npz, the training script's input.

    moodline crops ../shared/eval/fer2013/train -o crops/train --size 48
    moodline crops ../shared/eval/fer2013/validation -o crops/validation --size 48
    python3 Weights/training/pack_crops.py crops/train crops/validation -o crops/fer2013-48.npz

`--compact` stores each picture as its difference from a prediction by its left and upper neighbours, then
LZMA-compresses the file (about 60% of plain zlib's size; lossless), to carry it where space is short; train.py
reads both forms.

Each split becomes `x_<split>` (uint8, N x S x S), `y_<split>` (class index in Moodline's label order) and
`found_<split>` (whether a face was found; otherwise the crop is the whole picture), in crops.csv's order.
"""
import argparse
import csv
import io
import lzma
import os

import numpy as np

LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    # The header's fields are separated by whitespace and end with exactly one whitespace byte; the pixels may
    # themselves begin with whitespace-valued bytes, so the header is taken apart field by field.
    fields, position = [], 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    magic, width, height, maximum = fields
    assert magic == b"P5" and maximum == b"255", path
    pixels = data[position + 1:]
    return np.frombuffer(pixels, dtype=np.uint8).reshape(int(height), int(width))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", help="crops folders; each folder's name is its split's name")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--compact", action="store_true", help="predictive coding and LZMA (for carrying the file)")
    args = parser.parse_args()
    arrays = {}
    for folder in args.folders:
        split = os.path.basename(os.path.normpath(folder))
        with open(os.path.join(folder, "crops.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        arrays[f"x_{split}"] = np.stack([read_pgm(os.path.join(folder, r["crop"])) for r in rows])
        arrays[f"y_{split}"] = np.array([LABELS.index(r["label"]) for r in rows], dtype=np.int64)
        arrays[f"found_{split}"] = np.array([r["face_found"] == "true" for r in rows])
        print(f"{split}: {len(rows)} crops, faces found in {arrays[f'found_{split}'].mean():.1%}")
    if args.compact:
        for key in [k for k in arrays if k.startswith("x_")]:
            arrays["residual_" + key[2:]] = residuals(arrays.pop(key))
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        with open(args.output, "wb") as f:
            f.write(lzma.compress(buffer.getvalue(), preset=9))
    else:
        np.savez_compressed(args.output, **arrays)


def prediction(x, y, column):
    """The prediction of row y, column `column` from decoded pixels: the mean of left and upper neighbours."""
    if y == 0 and column == 0:
        return np.zeros(x.shape[0], dtype=np.int16)
    if y == 0:
        return x[:, 0, column - 1].astype(np.int16)
    if column == 0:
        return x[:, y - 1, 0].astype(np.int16)
    return (x[:, y, column - 1].astype(np.int16) + x[:, y - 1, column]) // 2


def residuals(x):
    out = np.empty_like(x)
    for y in range(x.shape[1]):
        for column in range(x.shape[2]):
            out[:, y, column] = ((x[:, y, column].astype(np.int16) - prediction(x, y, column)) % 256).astype(np.uint8)
    return out


def from_residuals(r):
    x = np.empty_like(r)
    for y in range(r.shape[1]):
        for column in range(r.shape[2]):
            x[:, y, column] = ((r[:, y, column].astype(np.int16) + prediction(x, y, column)) % 256).astype(np.uint8)
    return x


def load(path):
    """The arrays of a packed file, either form."""
    with open(path, "rb") as f:
        head = f.read(6)
    if head != b"\xfd7zXZ\x00":
        return dict(np.load(path))
    with open(path, "rb") as f:
        arrays = dict(np.load(io.BytesIO(lzma.decompress(f.read()))))
    for key in [k for k in arrays if k.startswith("residual_")]:
        arrays["x_" + key[len("residual_"):]] = from_residuals(arrays.pop(key))
    return arrays


if __name__ == "__main__":
    main()
