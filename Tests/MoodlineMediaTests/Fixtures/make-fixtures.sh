#!/usr/bin/env bash
# Makes the tiny media fixtures for MoodlineMediaTests with Debian's ffmpeg tool. Run by hand; outputs are committed.
set -euo pipefail
cd "$(dirname "$0")"
# 64x32 stored picture: left half red, right half blue, with the display matrix a portrait phone video carries
# (ffprobe: rotation=-90, i.e. turn 90 degrees clockwise to show). Displayed upright it is 32x64, red on top.
ffmpeg -v error -y -f lavfi -i "color=red:s=32x32:r=10,format=yuv420p" -f lavfi -i "color=blue:s=32x32:r=10,format=yuv420p" \
    -filter_complex "[0][1]hstack" -frames:v 10 -c:v libx264 -g 5 -bf 0 -preset veryfast -crf 18 \
    unrotated.tmp.mp4
# FFmpeg 5.1 writes the tag as a display matrix only on a stream copy.
ffmpeg -v error -y -i unrotated.tmp.mp4 -c copy -metadata:s:v:0 rotate=270 rotated90.mp4
rm unrotated.tmp.mp4
# The same stored picture as a JPEG; the EXIF Orientation tag is added by the tests themselves.
ffmpeg -v error -y -f lavfi -i "color=red:s=32x32,format=yuvj444p" -f lavfi -i "color=blue:s=32x32,format=yuvj444p" \
    -filter_complex "[0][1]hstack" -frames:v 1 -q:v 2 redblue.jpg
# Variable frame rate: 30 frames whose gaps alternate 1/30 s and 1/10 s, with its timestamps in a mkv.
ffmpeg -v error -y -f lavfi -i "testsrc2=s=32x32:r=30" -frames:v 30 \
    -vf "setpts='if(eq(mod(N,2),0),N/2*(1/30+1/10),(N-1)/2*(1/30+1/10)+1/30)/TB'" -fps_mode passthrough \
    -c:v libx264 -g 10 -bf 0 -preset veryfast vfr.mkv
