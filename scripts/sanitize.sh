#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer, and its multi-threaded part under ThreadSanitizer, each in its
# own build folder (.build-asan, .build-tsan). The tests start the built tool too, so it is checked under the same sanitizer;
# any report stops that process with a non-zero status, which fails the test that started it.
set -euo pipefail
cd "$(dirname "$0")/.."
quiet_link() { grep -v "Cannot export local symbol" || true; }

echo "sanitize: AddressSanitizer"
swift build --build-tests --sanitize=address --scratch-path .build-asan -q 2>&1 | quiet_link
# Leak reports come from the Swift runtime and Foundation's process launching, not from Moodline; errors stop.
ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=0 .build-asan/debug/MoodlinePackageTests.xctest 2>&1 \
  | grep -E "error:|ERROR: AddressSanitizer|Executed [0-9]+ tests" | tail -n 5

echo "sanitize: ThreadSanitizer"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan -q 2>&1 | quiet_link
# ThreadSanitizer is for the code that runs on more than one thread: the stages and their bounded buffers, the
# batch runner (recovery, interruption, frame skipping), live inputs, the tool end to end, and the server (jobs,
# uploads, progress events, live page). Those test classes run here; the rest (numeric kernels, parsers, writers,
# single-threaded algorithms) are covered by ASan above and the plain run. The whole suite under TSan took 28 of
# CI's 90 minutes.
concurrent='BuffersTests|DecodeStageTests|SharedAnalyzerTests|EndToEndTests|RecoveryTests|InterruptionTests|LiveInputTests|FrameSkippingTests|AnalyzeCommandTests|Serve|JobPagesTests|Upload|ProgressEventsTests|PictureBudgetTests|HostPolicyTests|WebPageTests'
log=$(mktemp)
TSAN_OPTIONS=halt_on_error=1:exitcode=66:suppressions=$PWD/scripts/tsan-suppressions.txt \
  swift test --scratch-path .build-tsan --sanitize=thread --skip-build --disable-swift-testing \
  --filter "$concurrent" >"$log" 2>&1 || {
  grep -E -A30 "WARNING: ThreadSanitizer|error:" "$log" | head -80
  rm -f "$log"
  exit 1
}
grep -E "Executed [0-9]+ tests" "$log" | tail -n 1
rm -f "$log"
