#!/usr/bin/env bash
# Checks the deployment files offline: the Kubernetes manifests against the API schema (kubernetes-validate, pinned,
# from PyPI; no cluster needed) and the Slurm scripts' shell syntax.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import kubernetes_validate" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check kubernetes-validate==1.37.0
fi
python3 -m kubernetes_validate --strict --kubernetes-version 1.33.0 deploy/kubernetes/*.yaml
for script in deploy/slurm/*.sbatch deploy/slurm/*.sh; do bash -n "$script"; done
echo "deploy: manifests and scripts valid"
