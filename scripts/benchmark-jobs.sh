#!/usr/bin/env bash
# Does --jobs help? Makes eight short 1080p clips (5 s each, from the sample) and times `moodline analyze` over all
# eight with --jobs 1, 2 and 4, RUNS times each (fresh output folder every run), printing the median wall time
# and peak memory of each setting.
# Usage: scripts/benchmark-jobs.sh [RUNS]   (clips are kept in .build-bench/jobs/)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
clips=.build-bench/jobs
mkdir -p "$clips"
for i in 1 2 3 4 5 6 7 8; do
  [ -f "$clips/clip$i.mp4" ] || ffmpeg -v error -y -ss "$i" -i Samples/WolfgangLanger_Pexels.mp4 -t 5 -vf scale=1920:1080 \
      -c:v libx264 -preset veryfast -crf 23 -an "$clips/clip$i.mp4"
done
swift build -c release --product moodline >/dev/null
for jobs in 1 2 4; do
  times=() peaks=()
  for _ in $(seq "$runs"); do
    out=$(mktemp -d)
    stats=$( { /usr/bin/time -f "%e %M" .build/release/moodline analyze "$clips"/clip*.mp4 -o "$out" --jobs "$jobs" --quiet; } 2>&1 | tail -n 1)
    times+=("${stats% *}") peaks+=("${stats#* }")
    rm -rf "$out"
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -n 1)
  echo "--jobs $jobs: median $median s over $runs runs (all: ${times[*]}), peak memory $((peak / 1024)) MB"
done
