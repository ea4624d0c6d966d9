#!/usr/bin/env bash
# Submits a Moodline array of TASKS tasks over INPUTS into OUTPUT, and its merge, which runs once every task has
# ended well (afterok: a task's bad inputs count as done, see analyze-array.sbatch).
#   deploy/slurm/submit.sh TASKS OUTPUT INPUT...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tasks=${1:?usage: submit.sh TASKS OUTPUT INPUT...}
output=${2:?usage: submit.sh TASKS OUTPUT INPUT...}
shift 2
[ $# -gt 0 ] || { echo "usage: submit.sh TASKS OUTPUT INPUT..." >&2; exit 64; }
export OUTPUT=$output INPUTS="$*"
array=$(sbatch --parsable --export=ALL --array="1-$tasks" "$here/analyze-array.sbatch")
sbatch --parsable --export=ALL --dependency="afterok:${array%%;*}" "$here/merge.sbatch" >/dev/null
echo "array job ${array%%;*} ($tasks tasks), merge after it; results in $output"
