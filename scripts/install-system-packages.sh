#!/usr/bin/env bash
# Installs the Debian packages Moodline builds and runs with: FFmpeg's libraries (libavdevice for V4L2 cameras; and its tool, for the
# benchmarks and fixtures) and OpenBLAS. With --checks, also what CI needs: valgrind for the memory-safety checks,
# Chromium to render the HTML report in a test, chromium-driver and Selenium (pinned, from PyPI) to drive
# `moodline serve`'s pages in the browser tests, xmllint to validate the ELAN export against its schema, wrk for the
# server's load benchmark, Slurm and munge to run deploy/slurm/ on a real one-node cluster. Safe to run again.
set -euo pipefail
packages=(pkg-config libavformat-dev libavcodec-dev libavdevice-dev libswscale-dev libavutil-dev libopenblas-dev ffmpeg)
checks=false
[ "${1:-}" = "--checks" ] && checks=true
$checks && packages+=(valgrind chromium chromium-driver libxml2-utils wrk)
# Slurm as ../shared/design/ENGINES.md measured it: with its recommended plugins.
recommended=()
$checks && recommended+=(slurm-wlm munge)
# Selenium 4.38: newer releases want a certifi that the PyPI mirror here does not have yet.
if $checks && ! python3 -c "import selenium" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check -r Tests/web/requirements.txt
fi
missing=() missing_recommended=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
for p in "${recommended[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing_recommended+=("$p"); done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_recommended[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ${#missing_recommended[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing_recommended[@]}"
fi
