#!/usr/bin/env python3
"""Packs the crops that `moodline crops` wrote into one .npz, the training script's input.

    moodline crops ../shared/eval/fer2013/train -o crops/train --size 48
    moodline crops ../shared/eval/fer2013/validation -o crops/validation --size 48
    python3 Weights/training/pack_crops.py crops/train crops/validation -o crops/fer2013-48.npz

Each split becomes `x_<split>` (the aligned crops, uint8, N x S x S), `whole_<split>` (each whole picture in
grey resized to S x S, as `moodline evaluate` reads a data set's own crops), `y_<split>` (class index in
Moodline's label order), `found_<split>` (whether a face was found; otherwise the crop is the whole picture) and
`map_<split>` (crop-to-picture maps, N x 6), in crops.csv's order.

`--compact`, to carry the file where space is short: when every picture is S x S (as in FER2013), the aligned
crops are not stored but recomputed from the whole pictures and the maps at load time (`align`, the same
arithmetic as Moodline's BilinearSampler; checked here to give every crop byte for byte, or the crops are kept);
pictures are stored as differences from a prediction by their left and upper neighbours, and the file is
LZMA-compressed. Lossless either way; train.py reads both forms.

`--ferplus ferplus.csv` (../shared/eval/fer2013/ferplus.csv: FER+'s ten human votes per picture, joined exactly onto
FER2013's pictures) adds, per split, `votes_<split>` (N x 10 vote counts in the CSV's column order: neutral,
happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF; all zero where FER+ gave none),
`ferplus_majority_<split>` (FER+'s majority rule, as the CSV gives it: a class name, `contempt`, `unknown`, `NF`,
`no_majority` or `no_votes`) and `copy_<split>` (the picture is also, byte for byte, in another split). Rows are
matched by the picture's path below the data set folder (`<split>/<class>/<name>`); every crop must match.
"""
import argparse
import csv
import io
import lzma
import os

import numpy as np

LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
VOTE_COLUMNS = ["neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt", "unknown", "NF"]


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
    parser.add_argument("--ferplus", metavar="CSV", help="ferplus.csv: add FER+'s votes, majority and copy flags per crop")
    args = parser.parse_args()
    arrays = {}
    ferplus = read_ferplus(args.ferplus) if args.ferplus else None
    for folder in args.folders:
        split = os.path.basename(os.path.normpath(folder))
        with open(os.path.join(folder, "crops.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        arrays[f"x_{split}"] = np.stack([read_pgm(os.path.join(folder, r["crop"])) for r in rows])
        arrays[f"y_{split}"] = np.array([LABELS.index(r["label"]) for r in rows], dtype=np.int64)
        arrays[f"found_{split}"] = np.array([r["face_found"] == "true" for r in rows])
        arrays[f"whole_{split}"] = np.stack([read_pgm(os.path.join(folder, "whole", r["crop"])) for r in rows])
        arrays[f"map_{split}"] = np.array([[float(r[k]) for k in ["map_a", "map_b", "map_c", "map_d", "map_tx", "map_ty"]] for r in rows])
        arrays[f"picture_size_{split}"] = np.array([[int(r["picture_w"]), int(r["picture_h"])] for r in rows])
        print(f"{split}: {len(rows)} crops, faces found in {arrays[f'found_{split}'].mean():.1%}")
        if ferplus is not None:
            keys = ["/".join(os.path.normpath(r["source"]).split(os.sep)[-3:]) for r in rows]
            missing = [k for k in keys if k not in ferplus]
            if missing:
                raise SystemExit(f"{split}: {len(missing)} crops have no row in {args.ferplus} (first: {missing[0]})")
            matched = [ferplus[k] for k in keys]
            arrays[f"votes_{split}"] = np.array([[int(m[c] or 0) for c in VOTE_COLUMNS] for m in matched], dtype=np.int8)
            arrays[f"ferplus_majority_{split}"] = np.array([m["ferplus_majority"] for m in matched])
            arrays[f"copy_{split}"] = np.array([m["copy_in_other_split"] == "1" for m in matched])
            print(f"{split}: FER+ votes for all {len(rows)}, {arrays[f'copy_{split}'].sum()} also in another split")
    if args.compact:
        for key in [k for k in arrays if k.startswith("x_")]:
            split = key[2:]
            size = arrays[key].shape[-1]
            if (arrays["picture_size_" + split] == size).all() and np.array_equal(align(arrays["whole_" + split], arrays["map_" + split]), arrays[key]):
                print(f"{split}: aligned crops recomputed from the pictures at load")
                del arrays[key]
            else:
                arrays["residual_" + key[2:]] = residuals(arrays.pop(key))
        for key in [k for k in arrays if k.startswith("whole_")]:
            arrays["residual_" + key] = residuals(arrays.pop(key))
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        with open(args.output, "wb") as f:
            f.write(lzma.compress(buffer.getvalue(), preset=9))
    else:
        np.savez_compressed(args.output, **arrays)


def read_ferplus(path):
    """ferplus.csv's rows by `path` (`<split>/<class>/<name>`)."""
    with open(path, newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def align(pictures, maps):
    """Moodline's BilinearSampler.sampleGrey on grey pictures of the crop's size: output pixel (u, v) samples the
    picture at map((u + 0.5, v + 0.5)), bilinear between pixel centres with edges clamped, 0 outside; the sum in
    float64, rounded to a byte through float32 as Swift does."""
    n, size = pictures.shape[0], pictures.shape[-1]
    a, b, c, d, tx, ty = (maps[:, k].reshape(n, 1, 1) for k in range(6))
    v, u = np.meshgrid(np.arange(size, dtype=np.float64) + 0.5, np.arange(size, dtype=np.float64) + 0.5, indexing="ij")
    px, py = a * u + b * v + tx, c * u + d * v + ty
    inside = (px >= 0) & (px < size) & (py >= 0) & (py < size)
    sx, sy = px - 0.5, py - 0.5
    x0, y0 = np.floor(sx), np.floor(sy)
    dx, dy = sx - x0, sy - y0
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    xa, xb = np.clip(x0, 0, size - 1), np.clip(x0 + 1, 0, size - 1)
    ya, yb = np.clip(y0, 0, size - 1), np.clip(y0 + 1, 0, size - 1)
    image = np.arange(n).reshape(n, 1, 1)
    p = pictures.astype(np.float64)
    value = (p[image, ya, xa] * ((1 - dx) * (1 - dy)) + p[image, ya, xb] * (dx * (1 - dy))
             + p[image, yb, xa] * ((1 - dx) * dy) + p[image, yb, xb] * (dx * dy))
    rounded = np.floor(value.astype(np.float32) + np.float32(0.5))
    return np.where(inside, np.clip(rounded, 0, 255), 0).astype(np.uint8)


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
        name = key[len("residual_"):]
        arrays[name if name.startswith("whole_") else "x_" + name] = from_residuals(arrays.pop(key))
    for key in [k for k in arrays if k.startswith("whole_")]:
        split = key[len("whole_"):]
        if "x_" + split not in arrays:
            arrays["x_" + split] = align(arrays[key], arrays["map_" + split])
    return arrays


if __name__ == "__main__":
    main()
