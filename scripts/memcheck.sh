#!/usr/bin/env bash
# valgrind memcheck of every place C code writes into Swift memory: FFmpeg's decoders and swscale, OpenBLAS.
#  1. The conversion matrix (every width and height from 1 to 67, odd large sizes; grey, RGBA, YUV 4:2:0 8- and
#     10-bit, palette, NV12, 4:4:4), run by the XCTest binary. (The other tests start ffmpeg through Foundation's
#     Process, whose own uninitialised reads memcheck reports; the files they make are covered by step 2.)
#     Pictures decoded from memory (JPEG and PNG, whole, broken and truncated), as the live page sends them.
#     JPEG files cut short, decoded in part, their blank rows measured.
#  2. Real files through the whole tool: odd-sized photos in grey, RGBA PNG, 16-bit PNG, palette PNG and GIF,
#     and short 8- and 10-bit videos, analysed end to end (decode, convert, detect, classify).
# Exits non-zero on the first memcheck error. Needs the packages of scripts/install-system-packages.sh and valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed" >&2; exit 2; }
swift build --build-tests -q
swift build -c release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# scripts/valgrind-swift.supp: reports from the Swift toolchain's own libraries (XCTest), each named with why.
valgrind=(valgrind -q --error-exitcode=97 --leak-check=no --track-origins=no --suppressions=scripts/valgrind-swift.supp)
# Debian's valgrind 3.19 cannot read DWARF 5, which clang writes for the C code of dependencies (SwiftNIO's, for
# the web server): it gives up on the whole binary. So it runs copies without debug information (errors are still
# found and named by function, just without file and line).
objcopy --strip-debug .build/debug/MoodlinePackageTests.xctest .build/debug/MoodlinePackageTests-memcheck.xctest
objcopy --strip-debug .build/release/moodline "$work/moodline"

echo "memcheck: conversion matrix (XCTest)"
"${valgrind[@]}" .build/debug/MoodlinePackageTests-memcheck.xctest MoodlineMediaTests.HostileMediaTests/testConversionOfEverySmallSizeAndFormat 2>&1 | tail -n 1

echo "memcheck: pictures decoded from memory (the live page's frames), good and broken (XCTest)"
"${valgrind[@]}" .build/debug/MoodlinePackageTests-memcheck.xctest MoodlineMediaTests.StillImageDecoderTests/testJPEGAndPNGFromMemoryAreTheFileReadersPictures 2>&1 | tail -n 1
"${valgrind[@]}" .build/debug/MoodlinePackageTests-memcheck.xctest MoodlineMediaTests.StillImageDecoderTests/testBytesThatAreNotAPictureAreRefusedWithTheReason 2>&1 | tail -n 1

echo "memcheck: thumbnails encoded as JPEG by FFmpeg's encoder, odd and tiny sizes (XCTest)"
"${valgrind[@]}" .build/debug/MoodlinePackageTests-memcheck.xctest MoodlineMediaTests.JPEGEncoderTests/testOddTinyAndGreyPicturesEncode 2>&1 | tail -n 1

echo "memcheck: JPEGs cut short, decoded in part and measured (XCTest)"
for test in testEveryCutOfASmallJPEGIsRefusedOrCalledDamaged testAProgressiveJPEGCutShortIsDecodedAndCalledDamaged testAPhotoWithDataAfterItsEndHasNoProblem; do
  "${valgrind[@]}" .build/debug/MoodlinePackageTests-memcheck.xctest "MoodlineMediaTests.JPEGCompletenessTests/$test" 2>&1 | tail -n 1
done

echo "memcheck: real photos and videos through moodline analyze"
mkdir -p "$work/photos"
source=Samples/multi_face.jpg
for size in 600x604 350x350 300x302 67x1 1x67 3x3 131x97 1921x1081; do
  w=${size%x*} h=${size#*x}
  ffmpeg -v error -y -i "$source" -vf "scale=$w:$h" "$work/photos/colour-$size.jpg"
  ffmpeg -v error -y -i "$source" -vf "scale=$w:$h,format=gray" "$work/photos/grey-$size.jpg"
done
for size in 97x61 600x604; do
  w=${size%x*} h=${size#*x}
  ffmpeg -v error -y -i "$source" -vf "scale=$w:$h,format=rgba" "$work/photos/rgba-$size.png"
  ffmpeg -v error -y -i "$source" -vf "scale=$w:$h,format=rgb48be" "$work/photos/deep-$size.png"
  ffmpeg -v error -y -i "$source" -vf "scale=$w:$h,format=pal8" "$work/photos/palette-$size.png"
  ffmpeg -v error -y -i "$source" -vf "scale=$w:$h" "$work/photos/palette-$size.gif"
done
ffmpeg -v error -y -i Samples/WolfgangLanger_Pexels.mp4 -t 1.5 -an -c:v libx264 -preset veryfast "$work/clip8.mp4"
ffmpeg -v error -y -i Samples/WolfgangLanger_Pexels.mp4 -t 1.5 -an -vf scale=322:182 -c:v libx264 -pix_fmt yuv420p10le -preset veryfast "$work/clip10.mp4"
# --annotate: the annotated video's writer converts and encodes every frame (swscale and x264 on Swift's pixels);
# the photo set's report encodes its thumbnails (FFmpeg's JPEG encoder).
# --no-persons: the face embedder (about 1 GFLOP of BLAS a face) would take valgrind most of an hour over these
# photos; it is checked on its own just below, on one face.
MOODLINE_WEIGHTS="$PWD/Weights" "${valgrind[@]}" "$work/moodline" analyze "$work/photos" "$work/clip8.mp4" "$work/clip10.mp4" -o "$work/out" --fps 2 --annotate --quiet --no-persons
echo "memcheck: persons: one face's chip cut and embedded, in a photo set and in a video"
mkdir -p "$work/one"
ffmpeg -v error -y -i Samples/astronaut.png -vf scale=256:256 "$work/one/astronaut.jpg"
ffmpeg -v error -y -i Samples/WolfgangLanger_Pexels.mp4 -t 0.4 -an -vf scale=320:180 -c:v libx264 -preset veryfast "$work/one.mp4"
MOODLINE_WEIGHTS="$PWD/Weights" "${valgrind[@]}" "$work/moodline" analyze "$work/one" "$work/one.mp4" -o "$work/persons" --fps 2 --quiet
echo "memcheck: no errors"
