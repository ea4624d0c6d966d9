#!/usr/bin/env bash
# Submits a Moodline array of TASKS tasks over the INPUTs into OUTPUT, and its merge, which runs once every task has
# ended well (afterok: a task's bad inputs count as done, see analyze-array.sbatch). Input names may hold spaces.
# With PLAN set (a plan from `moodline plan ... --shards TASKS`), the inputs come from the plan.
#   deploy/slurm/submit.sh TASKS OUTPUT INPUT...
#   PLAN=plan.json deploy/slurm/submit.sh TASKS OUTPUT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: submit.sh TASKS OUTPUT INPUT...  or  PLAN=plan.json submit.sh TASKS OUTPUT"
tasks=${1:?$usage}
output=${2:?$usage}
shift 2
[ $# -gt 0 ] || [ -n "${PLAN:-}" ] || { echo "$usage" >&2; exit 64; }
export OUTPUT=$output SHARDS=$tasks
array=$(sbatch --parsable --export=ALL --array="1-$tasks" "$here/analyze-array.sbatch" "$@")
array=${array%%;*}
# A failed task leaves the merge's dependency unmet for good: cancel the merge then, rather than queue it for ever.
sbatch --parsable --export=ALL --kill-on-invalid-dep=yes --dependency="afterok:$array" "$here/merge.sbatch" >/dev/null
echo "array job $array ($tasks tasks), merge after it; results in $output"
