#!/usr/bin/env python3
"""Scores Moodline's persons on an edit with known shots: the share of face rows whose person ID is their
identity's (each identity mapped to its most common person ID), whether different identities got different IDs, and
the tracks that cross a shot boundary.

    scripts/score-persons.py OUTPUT_FOLDER/frames.csv SHOTS.csv

SHOTS.csv has one row per shot with `start_frame`, `end_frame_excl` (source frame indices) and `person` (the
identity's name). Standard library only.
"""
import csv
import sys
from collections import Counter, defaultdict


def main(frames_path, shots_path):
    shots = list(csv.DictReader(open(shots_path)))

    def shot_of(frame):
        for n, shot in enumerate(shots):
            if int(shot["start_frame"]) <= frame < int(shot["end_frame_excl"]):
                return n
        return None

    rows = [r for r in csv.DictReader(open(frames_path)) if r["face_found"] == "1"]
    by_identity = defaultdict(Counter)
    shots_of_track = defaultdict(set)
    labelled = []
    for r in rows:
        n = shot_of(int(r["frame"]))
        if n is None:
            continue
        identity = shots[n]["person"]
        by_identity[identity][r["person"]] += 1
        shots_of_track[r["track"]].add(n)
        labelled.append((identity, r["person"]))
    mapping = {identity: counts.most_common(1)[0][0] for identity, counts in by_identity.items()}
    correct = sum(1 for identity, person in labelled if mapping[identity] == person)
    distinct = len(set(mapping.values())) == len(mapping)
    crossing = sorted(t for t, s in shots_of_track.items() if len(s) > 1)
    print(f"rows with their person's ID: {correct}/{len(labelled)} = {correct / max(1, len(labelled)):.3f}")
    print(f"identities -> person IDs: {mapping} ({'all different' if distinct else 'SHARED'})")
    print(f"tracks crossing a cut: {crossing or 'none'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
