#!/usr/bin/env python3
"""Compares two analyses of the same input (their frames.csv): REFERENCE, e.g. `--detection every_frame` or a full
decode, against OTHER, e.g. `--detection follow` or `decode.skip_loop_filter`.

Usage: scripts/compare-frames.py REFERENCE/frames.csv OTHER/frames.csv [--json]

Each reference face is matched, within its frame, to OTHER's face whose box overlaps it most (IoU 0.3 or more).
Reports faces found per sampled frame (OTHER against REFERENCE), the share of reference faces matched, the boxes'
overlap (median and 5th percentile) and corner movement, how far the probabilities moved, how many top emotions
changed, each run's tracks, and for scale how far each run's readings move between consecutive frames.
Standard library only; an offline measuring tool (README, "Speed"), never run by Moodline.
"""
import csv
import json
import statistics
import sys

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def load(path):
    frames, tracks = {}, set()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            faces = frames.setdefault(row["frame"], [])
            if row["face_found"] != "1":
                continue
            faces.append({"box": tuple(float(row[k]) for k in ("x", "y", "w", "h")), "emotion": row["emotion"],
                          "probabilities": [float(row[e]) for e in EMOTIONS]})
            tracks.add(row["track"])
    return frames, tracks


def iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    union = aw * ah + bw * bh - w * h
    return w * h / union if union > 0 else 0.0


def frame_to_frame(frames):
    """Median largest probability change between a face and the best-overlapping face of the next frame."""
    keys = sorted(frames, key=int)
    moves = []
    for a, b in zip(keys, keys[1:]):
        for face in frames[a]:
            best = max(frames[b], key=lambda t: iou(face["box"], t["box"]), default=None)
            if best and iou(face["box"], best["box"]) >= 0.3:
                moves.append(max(abs(x - y) for x, y in zip(face["probabilities"], best["probabilities"])))
    return statistics.median(moves) if moves else None


def main():
    (ref, ref_tracks), (other, other_tracks) = load(sys.argv[1]), load(sys.argv[2])
    total = sum(len(v) for v in ref.values())
    found = sum(len(other.get(k, [])) for k in ref)
    overlaps, shifts, corners, changed = [], [], [], 0
    for frame, faces in ref.items():
        theirs = other.get(frame, [])
        for face in faces:
            best = max(theirs, key=lambda t: iou(face["box"], t["box"]), default=None)
            if best is None or iou(face["box"], best["box"]) < 0.3:
                continue
            overlaps.append(iou(face["box"], best["box"]))
            shifts.append(max(abs(a - b) for a, b in zip(face["probabilities"], best["probabilities"])))
            corners.append(max(abs(a - b) for a, b in zip(face["box"], best["box"])))
            changed += face["emotion"] != best["emotion"]
    matched = len(overlaps)
    median = lambda xs: statistics.median(xs) if xs else None
    result = {
        "sampled_frames": len(ref), "faces_reference": total, "faces_other": found,
        "faces_per_frame_ratio": found / total if total else 1.0,
        "reference_faces_matched": matched / total if total else 1.0,
        "box_iou_median": median(overlaps), "box_iou_p5": sorted(overlaps)[len(overlaps) // 20] if overlaps else None,
        "box_px_moved_median": median(corners), "box_px_moved_max": max(corners, default=None),
        "labels_changed": changed, "labels_changed_share": changed / matched if matched else 0.0,
        "probability_shift_median": median(shifts), "probability_shift_max": max(shifts, default=None),
        "frame_to_frame_shift_reference": frame_to_frame(ref), "frame_to_frame_shift_other": frame_to_frame(other),
        "tracks_reference": len(ref_tracks), "tracks_other": len(other_tracks),
    }
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:32} {value:.4f}" if isinstance(value, float) else f"{key:32} {value}")


if __name__ == "__main__":
    main()
