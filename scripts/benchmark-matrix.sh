#!/usr/bin/env bash
# The speed matrix in the README: for each kind of input, the whole job (`moodline analyze`, fresh process, default
# pipeline for its kind) against `ffmpeg -threads 2 -i FILE -f null -` on the same file, alternated in the same run,
# RUNS times each. Prints a Markdown table of medians, the ratio, and moodline's largest peak memory.
#
# The inputs are made from the samples with the ffmpeg tool and kept in .build-bench/ for reruns:
#   1080p H.264 with B-frames (x264 veryfast, 60 s), the same without B-frames (as video-call recorders make),
#   720p H.264 (60 s), 4K HEVC (x265, 20 s), 1080p VP9 (60 s), and 200 photos of 12 MP (4000x3000 JPEG).
# Usage: scripts/benchmark-matrix.sh [RUNS]; MOODLINE_ARGS (split on spaces) is added to each analysis, e.g.
# MOODLINE_ARGS="--detection every_frame" for the scheme before faces were followed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
bench=.build-bench
mkdir -p "$bench"
sample=Samples/WolfgangLanger_Pexels.mp4
encode() { # encode OUTPUT FFMPEG-ARGS...: the sample looped, encoded once (kept for reruns)
    local out=$1; shift
    [ -e "$out" ] && return
    ffmpeg -v error -y -stream_loop 3 -i "$sample" "$@" -an "$out.part.${out##*.}"
    mv "$out.part.${out##*.}" "$out"
}
encode "$bench/pexels-1080p-60s.mp4" -t 60 -vf scale=1920:1080 -c:v libx264 -preset veryfast -crf 23
encode "$bench/pexels-1080p-60s-nob.mp4" -t 60 -vf scale=1920:1080 -c:v libx264 -preset veryfast -crf 23 -bf 0
encode "$bench/pexels-720p-60s.mp4" -t 60 -vf scale=1280:720 -c:v libx264 -preset veryfast -crf 23
encode "$bench/pexels-4k-20s-hevc.mp4" -t 20 -vf scale=3840:2160 -c:v libx265 -preset ultrafast -crf 26 -tag:v hvc1 \
    -x265-params log-level=none
encode "$bench/pexels-1080p-60s-vp9.webm" -t 60 -vf scale=1920:1080 -c:v libvpx-vp9 -deadline realtime -cpu-used 8 \
    -row-mt 1 -b:v 3M
photos=$bench/photos-12mp
if [ ! -d "$photos" ] || [ "$(ls "$photos" | wc -l)" -lt 200 ]; then
    mkdir -p "$photos"
    ffmpeg -v error -y -i "$sample" -vf "fps=10,scale=4000:3000:flags=bicubic" -frames:v 196 -q:v 3 \
        -start_number 0 "$photos/pexels-%03d.jpg"
    ffmpeg -v error -y -i Samples/multi_face.jpg -vf scale=4000:3000 -q:v 3 "$photos/multi-face.jpg"
    ffmpeg -v error -y -i Samples/multi_face.jpg -vf hflip,scale=4000:3000 -q:v 3 "$photos/multi-face-mirrored.jpg"
    ffmpeg -v error -y -i Samples/astronaut.png -vf scale=3000:3000 -q:v 3 "$photos/astronaut.jpg"
    ffmpeg -v error -y -i Samples/astronaut.png -vf hflip,scale=4000:3000 -q:v 3 "$photos/astronaut-mirrored.jpg"
fi
swift build -c release --product moodline >/dev/null
moodline=.build/release/moodline

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }

# The analysis's core time per sampled frame (photo): detection, registration, classification and the embedder,
# summed over the run's threads, from run.json.
analysis_ms() {
    python3 - "$1" <<'PY'
import glob, json, sys
t = n = 0
for path in glob.glob(sys.argv[1] + "/*/run.json"):
    m = json.load(open(path))
    t += sum(m["timing_s"].get(k, 0) for k in ("detect", "register", "classify", "embed"))
    n += m["counts"]["frames_sampled"] or m["counts"]["files_read"]
print(f"{1000 * t / max(n, 1):.1f}")
PY
}

echo "| input | ffmpeg decode, s | moodline analyze, s | ratio | peak memory, MB | analysis, ms of one core per sampled frame |"
echo "|---|---|---|---|---|---|"
row() { # row LABEL INPUT [ffmpeg input arguments...]
    local label=$1 input=$2; shift 2
    local ours=() theirs=() peaks=() costs=()
    for _ in $(seq "$runs"); do
        local stats out
        stats=$( { /usr/bin/time -f "%e" ffmpeg -v error -threads 2 "$@" -f null - ; } 2>&1 | tail -n 1)
        theirs+=("$stats")
        out=$(mktemp -d)
        stats=$( { /usr/bin/time -f "%e %M" "$moodline" analyze "$input" -o "$out" --quiet ${MOODLINE_ARGS:-}; } 2>&1 | tail -n 1)
        ours+=("${stats% *}") peaks+=("${stats#* }") costs+=("$(analysis_ms "$out")")
        rm -rf "$out"
    done
    local a b p c
    a=$(printf '%s\n' "${theirs[@]}" | median)
    c=$(printf '%s\n' "${costs[@]}" | median)
    b=$(printf '%s\n' "${ours[@]}" | median)
    p=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -n 1)
    awk -v l="$label" -v a="$a" -v b="$b" -v p="$p" -v c="$c" \
        'BEGIN { printf "| %s | %.2f | %.2f | %.2fx | %d | %s |\n", l, a, b, b / a, p / 1024, c }'
}
row "1080p H.264, B-frames, 60 s" "$bench/pexels-1080p-60s.mp4" -i "$bench/pexels-1080p-60s.mp4"
row "1080p H.264, no B-frames, 60 s" "$bench/pexels-1080p-60s-nob.mp4" -i "$bench/pexels-1080p-60s-nob.mp4"
row "720p H.264, 60 s" "$bench/pexels-720p-60s.mp4" -i "$bench/pexels-720p-60s.mp4"
row "4K HEVC, 20 s" "$bench/pexels-4k-20s-hevc.mp4" -i "$bench/pexels-4k-20s-hevc.mp4"
row "1080p VP9, 60 s" "$bench/pexels-1080p-60s-vp9.webm" -i "$bench/pexels-1080p-60s-vp9.webm"
row "200 photos, 12 MP JPEG" "$photos" -pattern_type glob -i "$photos/*.jpg"
