#!/usr/bin/env python3
"""Compares two frames.csv files of the same input row by row: how far boxes, scores and probabilities moved.

Used to measure `decode.skip_loop_filter` against a full decode (README, "Speed"). Standard library only.
Usage: compare-frames.py A/frames.csv B/frames.csv
"""
import csv
import sys

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def rows(path):
    with open(path, newline="") as f:
        return {(r["frame"], r["face"]): r for r in csv.DictReader(f)}


def main():
    a, b = rows(sys.argv[1]), rows(sys.argv[2])
    common = [k for k in a if k in b and a[k]["face_found"] == "1" and b[k]["face_found"] == "1"]
    only = len(set(a) ^ set(b))
    prob, box, label = [], [], 0
    for k in common:
        ra, rb = a[k], b[k]
        prob += [abs(float(ra[e]) - float(rb[e])) for e in EMOTIONS]
        box += [abs(float(ra[c]) - float(rb[c])) for c in "xywh"]
        label += ra["emotion"] != rb["emotion"]
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0
    print(f"faces compared: {len(common)}, rows in one file only: {only}, labels changed: {label}")
    print(f"probability |diff|: mean {mean(prob):.5f}, max {max(prob, default=0):.4f}")
    print(f"box |diff| (px): mean {mean(box):.3f}, max {max(box, default=0):.2f}")


if __name__ == "__main__":
    main()
