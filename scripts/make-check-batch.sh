#!/usr/bin/env bash
# Makes the test batch of the scheduler checks (slurm-check.sh, snakemake-check.sh) in folder $1: two videos cut
# from the sample (interview-a.mp4, interview-b.mp4, 5 s each) and a folder of 120 photos whose name holds a space
# ("event photos": the two sample photos and 118 frames, 6 a second of the 19.7 s sample), so that each photo task
# runs long enough to be stopped while it works.
set -euo pipefail
batch=$(realpath -m "${1:?usage: scripts/make-check-batch.sh FOLDER}")
cd "$(dirname "$0")/.."
mkdir -p "$batch/event photos"
sample=Samples/WolfgangLanger_Pexels.mp4
ffmpeg -v error -ss 0 -t 5 -i "$sample" -an -c:v libx264 -preset veryfast "$batch/interview-a.mp4"
ffmpeg -v error -ss 10 -t 5 -i "$sample" -an -c:v libx264 -preset veryfast "$batch/interview-b.mp4"
cp Samples/multi_face.jpg Samples/astronaut.png "$batch/event photos/"
ffmpeg -v error -i "$sample" -vf fps=6 -frames:v 120 -q:v 3 "$batch/event photos/frame-%03d.jpg"
