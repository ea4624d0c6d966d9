#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (address sanitizer on) and runs each for a bounded time from the committed
# seed corpus. A crash, a sanitizer report or a failed precondition stops the run: the input that caused it is
# left in fuzz-findings/ and the script exits non-zero.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -q 2>&1 \
  | grep -v "Cannot export local symbol" || true
test -x Fuzz/.build/release/FuzzMedia || { echo "fuzz: the targets did not build" >&2; exit 2; }
mkdir -p fuzz-findings
status=0
for target in safetensors:FuzzSafeTensors:4096 pipeline:FuzzPipelineFile:4096 media:FuzzMedia:65536 still:FuzzStillImage:65536 header:FuzzPictureHeader:4096 readings:FuzzReadingsRecord:16384 persons:FuzzPersonsTable:4096 ranges:FuzzRangeFile:8192; do
  IFS=: read -r corpus binary max_len <<<"$target"
  work=$(mktemp -d)
  cp Fuzz/Corpus/"$corpus"/* "$work"/
  log=$(mktemp)
  # One process, one job: the machine has two cores and the tests may share them.
  # A fixed seed makes a CI run repeatable; longer local runs (-seed unset) look further.
  if ! Fuzz/.build/release/"$binary" "$work" -seed=1 -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 \
        -timeout=20 -artifact_prefix=fuzz-findings/"$binary"- -print_final_stats=1 >"$log" 2>&1; then
    status=1
    echo "fuzz: $binary FAILED; the input is in fuzz-findings/" >&2
    grep -E "ERROR|SUMMARY|Precondition|Fatal|panic|==[0-9]+==" "$log" | head -20 >&2 || true
  fi
  runs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$log" | grep -o "[0-9]*$" || echo "?")
  rate=$(grep -o "exec/s: [0-9]*" "$log" | tail -1 | grep -o "[0-9]*$" || echo "?")
  cover=$(grep -o "cov: [0-9]*" "$log" | tail -1 | grep -o "[0-9]*$" || echo "?")
  echo "fuzz: $binary: $runs runs in ${seconds} s (${rate} exec/s), coverage $cover, corpus $(ls "$work" | wc -l) inputs"
  rm -rf "$work" "$log"
done
exit $status
