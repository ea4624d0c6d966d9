#!/usr/bin/env bash
# Installs the Debian packages Moodline builds and runs with: FFmpeg's libraries (libavdevice for V4L2 cameras; and its tool, for the
# benchmarks and fixtures) and OpenBLAS. With --checks, also what CI needs: valgrind for the memory-safety checks,
# Chromium to render the HTML report in a test, xmllint to validate the ELAN export against its schema.
# Safe to run again.
set -euo pipefail
packages=(pkg-config libavformat-dev libavcodec-dev libavdevice-dev libswscale-dev libavutil-dev libopenblas-dev ffmpeg)
[ "${1:-}" = "--checks" ] && packages+=(valgrind chromium libxml2-utils)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
