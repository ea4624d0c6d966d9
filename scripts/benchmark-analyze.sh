#!/usr/bin/env bash
# The whole-job benchmark: makes a 1080p H.264 clip of 60 s from the sample video (scaled and looped with the
# ffmpeg tool) and a 10-minute one (the same clip ten times, stream-copied), then runs
# `moodline benchmark analyze` on each in its own process, so their peak memory can be compared.
# Usage: scripts/benchmark-analyze.sh [RUNS]   (clips are kept in .build-bench/ for reruns)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
mkdir -p .build-bench
short=.build-bench/pexels-1080p-60s.mp4
long=.build-bench/pexels-1080p-600s.mp4
if [ ! -f "$short" ]; then
    ffmpeg -v error -y -stream_loop 3 -i Samples/WolfgangLanger_Pexels.mp4 -t 60 -vf scale=1920:1080 \
        -c:v libx264 -preset veryfast -crf 23 -an "$short"
fi
if [ ! -f "$long" ]; then
    list=.build-bench/ten.txt
    for _ in $(seq 10); do echo "file '$(basename "$short")'"; done > "$list"
    ffmpeg -v error -y -f concat -safe 0 -i "$list" -c copy "$long"
fi
swift build -c release --product moodline >/dev/null
for clip in "$short" "$long"; do
    echo "== $clip"
    .build/release/moodline benchmark analyze "$clip" --runs "$runs"
done
