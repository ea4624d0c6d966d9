#!/usr/bin/env bash
# Runs deploy/snakemake/Snakefile with Snakemake itself (pinned, from PyPI, in a virtual environment of its own):
# 4 shards over the scheduler checks' test batch (scripts/make-check-batch.sh), whose merged outputs must equal one
# unsharded run's (scripts/compare-outputs.py). Shard 3's moodline is killed (SIGKILL) once its checkpoint counts
# some photos done: Snakemake must retry the job (`retries`), the retry must resume from the checkpoint, and the
# outputs must still equal the unsharded run's.
# Needs a release build of moodline (MOODLINE_BIN, else .build/release/moodline).
#   scripts/snakemake-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bin=${MOODLINE_BIN:-$repo/.build/release/moodline}
[ -x "$bin" ] || swift build -c release --product moodline -q
[ -x "$bin" ] || { echo "snakemake-check: no moodline at $bin" >&2; exit 2; }
# Absolute: the workflow runs in another folder, and the program is found among processes by this path.
bin=$(realpath "$bin")
venv=${SNAKEMAKE_VENV:-/tmp/moodline-snakemake-venv}
if ! "$venv/bin/snakemake" --version 2>/dev/null | grep -qx 9.27.1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check snakemake==9.27.1
fi

work=$(mktemp -d /tmp/moodline-snakemake.XXXXXX)
passed=false
snakemake_pid=""
finish() {
  # A check that failed while the workflow ran must not leave it running.
  [ -n "$snakemake_pid" ] && kill "$snakemake_pid" 2>/dev/null && wait "$snakemake_pid" 2>/dev/null
  if $passed; then rm -rf "$work"; else echo "snakemake-check: its files are kept in $work" >&2; fi
}
trap finish EXIT
fail() {
  echo "snakemake-check: $*" >&2
  [ -f "$work/snakemake.log" ] && tail -n 40 "$work/snakemake.log" >&2
  exit 1
}
batch=$work/batch
scripts/make-check-batch.sh "$batch"
inputs=("$batch/event photos" "$batch/interview-a.mp4" "$batch/interview-b.mp4")
# Both runs write into the same folder, moved aside after: the ELAN export records its absolute path.
out="$work/results here"

status=0
"$bin" analyze "${inputs[@]}" --write-embeddings -o "$out" --quiet || status=$?
case $status in 0 | 1 | 3) ;; *) fail "the unsharded run failed (exit $status)" ;; esac
mv "$out" "$work/one"

cd "$work"
"$venv/bin/snakemake" -s "$repo/deploy/snakemake/Snakefile" --cores 2 \
  --config "output=$out" shards=4 moodline="$bin" \
  "inputs=[\"$batch/event photos\", \"$batch/interview-a.mp4\", \"$batch/interview-b.mp4\"]" \
  'options=["--write-embeddings"]' >"$work/snakemake.log" 2>&1 &
snakemake_pid=$!
# Shard 3's moodline, once its checkpoint counts some photos done.
checkpoint="$out/event photos.shard-3-of-4/.checkpoint.json"
killed=""
deadline=$((SECONDS + 600))
while [ $SECONDS -lt $deadline ] && kill -0 "$snakemake_pid" 2>/dev/null; do
  done_now=$(sed -n 's/.*"filesDone" *: *\([0-9]*\).*/\1/p' "$checkpoint" 2>/dev/null || true)
  if [ -n "$done_now" ] && [ "$done_now" -gt 0 ]; then
    # The program itself, not the shell Snakemake runs it in (whose command line holds the same words).
    killed=$(pgrep -f -- "^$bin analyze .*--shard 3/4" | head -n 1 || true)
    [ -n "$killed" ] && kill -KILL "$killed" && break
  fi
  sleep 0.05
done
status=0
wait "$snakemake_pid" || status=$?
snakemake_pid=""
cd "$repo"
[ -n "$killed" ] || fail "shard 3 was not stopped while it worked"
[ "$status" -eq 0 ] || fail "snakemake failed (exit $status) after shard 3 was killed"
grep -q "Trying to restart job" "$work/snakemake.log" || fail "snakemake did not retry the killed job"
resumed=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("resumed_after_files", 0))' \
  "$out/event photos.shard-3-of-4/run.json") || fail "shard 3's run.json cannot be read"
[ "$resumed" -gt 0 ] || fail "the retried job started again instead of resuming"
python3 scripts/compare-outputs.py "$work/one" "$out" || fail "the workflow's merged outputs differ from one run's"
echo "snakemake-check: 4 shards and their merge equal one unsharded run; shard 3, killed after $done_now photo(s)," \
  "was retried by Snakemake and resumed after $resumed"
passed=true
