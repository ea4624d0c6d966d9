#!/usr/bin/env bash
# A newcomer's first command: installs the system packages, builds Moodline in release mode and runs the main
# job on the sample video.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
swift build -c release
echo
echo "== moodline probe Samples/WolfgangLanger_Pexels.mp4"
.build/release/moodline probe Samples/WolfgangLanger_Pexels.mp4
