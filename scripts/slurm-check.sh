#!/usr/bin/env bash
# Runs deploy/slurm/ on a real Slurm: starts munged, slurmctld and slurmd on this one machine (Debian's slurm-wlm,
# a minimal configuration in a temporary folder, see ../shared/design/ENGINES.md; addresses are 127.0.0.1, so the
# host name need not resolve). Submits a 4-task array and its merge over a test batch (two short videos and a photo
# folder whose name holds a space), and checks that the merged outputs equal one unsharded run's
# (scripts/compare-outputs.py: every file byte for byte, run.json but for how the run went). Then it runs the array
# twice more from a plan (`moodline plan`), stops one task while it works (SIGKILL to its process, then scancel),
# resubmits that task and the merge as the array script's comments say, and checks the outputs again: a stopped
# task loses nothing.
# Needs root (the daemons), 2 cores, and a release build of moodline (MOODLINE_BIN, else .build/release/moodline).
#   scripts/slurm-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
if [ -n "${MOODLINE_BIN:-}" ]; then
  bin=$MOODLINE_BIN
else
  bin=$repo/.build/release/moodline
  [ -x "$bin" ] || swift build -c release --product moodline -q
fi
[ -x "$bin" ] || { echo "slurm-check: no moodline at $bin" >&2; exit 2; }
# The array scripts read these; the caller's own must not leak in.
unset PLAN SHARDS OUTPUT
for tool in slurmctld slurmd munged sbatch; do
  if ! command -v "$tool" >/dev/null; then
    echo "slurm-check: $tool is missing (scripts/install-system-packages.sh --checks)" >&2
    exit 2
  fi
done
[ "$(id -u)" -eq 0 ] || { echo "slurm-check: the Slurm daemons need root" >&2; exit 2; }

work=$(mktemp -d /tmp/moodline-slurm.XXXXXX)
export SLURM_CONF=$work/slurm.conf
started_munge=false
passed=false
# Stops a daemon by its pid file and waits for it to go (slurmctld saves its state first).
stop_daemon() {
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    # Gone, or a zombie that only its parent (here perhaps no init that reaps) can clear.
    case $(ps -o stat= -p "$pid" 2>/dev/null) in "" | Z*) return 0 ;; esac
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
stop_daemons() {
  # Jobs still running after a failure: their processes outlive slurmd (proctrack/linuxproc), so end them first.
  if [ -f "$work/slurmctld.pid" ] && [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
    scancel --partition=check 2>/dev/null || true
    for _ in $(seq 60); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  stop_daemon "$work/slurmd.pid"
  stop_daemon "$work/slurmctld.pid"
  if $started_munge; then stop_daemon /run/munge/munged.pid; fi
  # Kept when the check failed, for its logs.
  if $passed; then rm -rf "$work"; else echo "slurm-check: its files are kept in $work" >&2; fi
}
fail() {
  echo "slurm-check: $*" >&2
  for log in "$work"/slurmctld.log "$work"/slurmd.log "$work"/jobs/*.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
  done
  exit 1
}
trap 'stop_daemons' EXIT

# munge: the key Debian's package made, or a new one; its socket folder owned by munge.
if [ ! -s /etc/munge/munge.key ]; then mungekey -c -k /etc/munge/munge.key; fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
# A munged already running (the system's) is used as it is.
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- munged --force
  started_munge=true
fi

host=$(hostname -s)
memory_mb=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024))
mkdir -p "$work/state" "$work/spool" "$work/jobs"
cat >"$SLURM_CONF" <<EOF
ClusterName=moodline-check
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory_mb State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -i
slurmd
for _ in $(seq 60); do
  sinfo -h -o %t 2>/dev/null | grep -qx idle && break
  sleep 1
done
sinfo -h -o %t | grep -qx idle || fail "the node did not come up"

# The batch: two short videos and a folder of 120 photos (scripts/make-check-batch.sh).
batch=$work/batch
scripts/make-check-batch.sh "$batch"
inputs=("$batch/event photos" "$batch/interview-a.mp4" "$batch/interview-b.mp4")
options=(--write-embeddings)
# Every run writes into the same folder, moved aside after it: the ELAN export records its absolute path.
out=$work/out

# One unsharded run: what the array's merged outputs must equal.
status=0
"$bin" analyze "${inputs[@]}" "${options[@]}" -o "$out" --quiet || status=$?
case $status in 0 | 1 | 3) ;; *) fail "the unsharded run failed (exit $status)" ;; esac
mv "$out" "$work/one"

export PATH="$(dirname "$bin"):$PATH"
# Waits until no job of this check is queued or running; fails after $1 seconds.
wait_for_jobs() {
  for _ in $(seq "$1"); do
    [ -z "$(squeue -h -o %i)" ] && return 0
    sleep 1
  done
  squeue >&2
  fail "jobs still queued after $1 s"
}
# The merge job's final state (sacct is off without slurmdbd, so slurmctld's own record is read).
job_state() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1; }

# 1. The whole array and its merge, as a user submits them.
cd "$work/jobs"
"$repo/deploy/slurm/submit.sh" 4 "$out" "${inputs[@]}" "${options[@]}"
wait_for_jobs 900
cd "$repo"
compgen -G "$work/jobs/moodline-merge-*.log" >/dev/null || fail "the merge job did not run"
python3 scripts/compare-outputs.py "$work/one" "$out" || fail "the array's merged outputs differ from one run's"
mv "$out" "$work/array"
echo "slurm-check: a 4-task array and its merge equal one unsharded run"

# The moodline process of task $2 of array job $1, found by its environment (NUL-separated, read with grep -z).
command_name=$(basename "$bin" | cut -c1-15)
task_process() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$command_name" ] || continue
    grep -qxzF "SLURM_ARRAY_JOB_ID=$1" "$environ" 2>/dev/null || continue
    grep -qxzF "SLURM_ARRAY_TASK_ID=$2" "$environ" 2>/dev/null || continue
    echo "$pid"
    return 0
  done
  return 1
}

# 2 and 3. The same array again, with task 3 (a quarter of the photos) stopped once its checkpoint says it has
# finished some of its photos: by SIGKILL to its process, as the kernel's out-of-memory killer does, and by scancel,
# as a time limit or a preemption does (SIGTERM, then SIGKILL after KillWait). The merge, which depends on the
# array, must then not run. The task is resubmitted alone, with the merge after it, as a user would; it must resume
# from its checkpoint, and the merged outputs must again equal one unsharded run's.
# These arrays run from a plan (`moodline plan`, PLAN=): the tasks take their inputs and N from it.
"$bin" plan "${inputs[@]}" --shards 4 -o "$work/plan.json" || fail "moodline plan failed"
stop_task_and_resume() {
  local how=$1 array merge rerun state done_at_stop="" done_now pid resumed
  cd "$work/jobs"
  export OUTPUT=$out SHARDS=4 PLAN=$work/plan.json
  array=$(sbatch --parsable --export=ALL --array=1-4 "$repo/deploy/slurm/analyze-array.sbatch" "${options[@]}")
  array=${array%%;*}
  merge=$(sbatch --parsable --export=ALL --kill-on-invalid-dep=yes --dependency="afterok:$array" \
    "$repo/deploy/slurm/merge.sbatch")
  local checkpoint="$out/event photos.shard-3-of-4/.checkpoint.json"
  # Tasks 1 and 2 run first (each takes both cores), so the deadline is in seconds, not turns.
  local deadline=$((SECONDS + 600))
  state=PENDING
  while [ $SECONDS -lt $deadline ]; do
    done_now=$(sed -n 's/.*"filesDone" *: *\([0-9]*\).*/\1/p' "$checkpoint" 2>/dev/null || true)
    if [ -n "$done_now" ] && [ "$done_now" -gt 0 ]; then
      if [ "$how" = sigkill ]; then
        pid=$(task_process "$array" 3) || fail "task 3's process was not found (it may have finished already)"
        kill -KILL "$pid" 2>/dev/null || fail "task 3's process ended before it could be killed"
      else
        scancel "${array}_3"
      fi
      done_at_stop=$done_now
      break
    fi
    state=$(job_state "${array}_3")
    case $state in PENDING | RUNNING | CONFIGURING | "") ;; *) break ;; esac
    sleep 0.05
  done
  [ -n "$done_at_stop" ] || fail "task 3 was not stopped while it worked ($how): its state was $state"
  wait_for_jobs 900
  state=$(job_state "${array}_3")
  [ "$state" != COMPLETED ] || fail "task 3 completed though it was stopped ($how)"
  [ ! -f "$out/event photos/run.json" ] || fail "the merge ran though a task had failed ($how)"
  echo "slurm-check: task 3 stopped by $how ($state) after its checkpoint counted $done_at_stop photo(s);" \
    "the merge ($(job_state "$merge")) did not run"

  rerun=$(sbatch --parsable --export=ALL --array=3 "$repo/deploy/slurm/analyze-array.sbatch" "${options[@]}")
  rerun=${rerun%%;*}
  sbatch --parsable --export=ALL --dependency="afterok:$rerun" "$repo/deploy/slurm/merge.sbatch" >/dev/null
  wait_for_jobs 900
  cd "$repo"
  resumed=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("resumed_after_files", 0))' \
    "$out/event photos.shard-3-of-4/run.json") || fail "task 3's run.json cannot be read after the rerun ($how)"
  [ "$resumed" -gt 0 ] || fail "the resubmitted task started again instead of resuming ($how)"
  python3 scripts/compare-outputs.py "$work/one" "$out" || fail "after the rerun ($how), the outputs differ"
  echo "slurm-check: the resubmitted task resumed after $resumed photos; the merged outputs equal one unsharded run"
  rm -rf "$out"
}
stop_task_and_resume sigkill
stop_task_and_resume scancel
passed=true
