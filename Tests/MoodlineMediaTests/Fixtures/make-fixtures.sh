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
# Frame skipping (SkipPlanner) must leave the sampled frames bit for bit a full decode's. Clips of 90 moving frames:
# B-frames with a pyramid (some B-frames are references), an open GOP, no B-frames, HEVC and VP9, and variable
# frame rate with B-frames.
ffmpeg -v error -y -f lavfi -i "testsrc2=s=96x64:r=30" -frames:v 90 -c:v libx264 -preset veryfast -bf 3 -g 30 \
    -pix_fmt yuv420p bframes.mp4
ffmpeg -v error -y -f lavfi -i "testsrc2=s=96x64:r=30" -frames:v 90 -c:v libx264 -preset veryfast -bf 3 \
    -x264-params keyint=24:min-keyint=24:open-gop=1:scenecut=0 -pix_fmt yuv420p opengop.mp4
ffmpeg -v error -y -f lavfi -i "testsrc2=s=96x64:r=30" -frames:v 90 -c:v libx264 -preset veryfast -bf 0 -g 30 \
    -pix_fmt yuv420p nobframes.mp4
ffmpeg -v error -y -f lavfi -i "testsrc2=s=96x64:r=30" -frames:v 90 -c:v libx265 -preset veryfast -x265-params log-level=none:bframes=4:keyint=30 \
    -pix_fmt yuv420p -tag:v hvc1 hevc.mp4
ffmpeg -v error -y -f lavfi -i "testsrc2=s=96x64:r=30" -frames:v 90 -c:v libvpx-vp9 -deadline realtime -g 30 -b:v 200k vp9.webm
ffmpeg -v error -y -f lavfi -i "testsrc2=s=96x64:r=30" -frames:v 90 \
    -vf "setpts='if(eq(mod(N,2),0),N/2*(1/30+1/10),(N-1)/2*(1/30+1/10)+1/30)/TB'" -fps_mode passthrough \
    -c:v libx264 -preset veryfast -bf 2 -g 30 vfr-bframes.mkv
