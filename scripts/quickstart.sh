#!/usr/bin/env bash
# A newcomer's first command: installs the system packages, builds Moodline in release mode and analyses the
# sample video, then shows where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
swift build -c release
echo
echo "== moodline analyze Samples/WolfgangLanger_Pexels.mp4 --output results"
.build/release/moodline analyze Samples/WolfgangLanger_Pexels.mp4 --output results
echo
echo "Results are in results/WolfgangLanger_Pexels/:"
ls -l results/WolfgangLanger_Pexels/
echo
echo "First rows of frames.csv:"
head -4 results/WolfgangLanger_Pexels/frames.csv
