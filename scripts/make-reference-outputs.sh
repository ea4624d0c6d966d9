#!/usr/bin/env bash
# Saves what `moodline analyze` writes for the samples (the Pexels video, a photo, and the Samples folder as a
# photo set) as reference outputs (all but report.html and episodes.eaf, which name absolute paths). ReferenceOutputTests compares every later build with them byte for byte, so a
# change meant to rearrange code (not to change results) proves that it did not. Rerun only when results are
# meant to change, and say why in the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product moodline -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/release/moodline analyze Samples/WolfgangLanger_Pexels.mp4 Samples/multi_face.jpg Samples -o "$work" --quiet
target=Tests/MoodlineCoreTests/Fixtures/reference-outputs
rm -rf "$target"
for input in WolfgangLanger_Pexels multi_face Samples; do
  mkdir -p "$target/$input"
  for file in frames.csv frames.jsonl tracks.json persons.json photos.csv episodes.csv timeline.csv seconds.csv episodes.vtt episodes.srt; do
    [ -f "$work/$input/$file" ] && cp "$work/$input/$file" "$target/$input/"
  done
done
ls -R "$target"
