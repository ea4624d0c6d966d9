#!/usr/bin/env bash
# The code's layout, by the toolchain's own formatter and the rules in .swift-format (120 columns, 4 spaces).
#   scripts/format.sh          rewrites the files in place
#   scripts/format.sh --check  changes nothing; fails, listing each place, where a file differs (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
# The tracked Swift files only: never a build folder's checkouts (Fuzz/.build).
mapfile -t paths < <(git ls-files '*.swift')
if [[ "${1:-}" == "--check" ]]; then
  swift format lint --strict --parallel "${paths[@]}"
  echo "format: every file is laid out as .swift-format says"
else
  swift format format --in-place --parallel "${paths[@]}"
fi
