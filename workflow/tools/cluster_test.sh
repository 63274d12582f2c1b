#!/usr/bin/env bash
# The quick build through the slurm profile on a real single-node SLURM cluster (slurm_cluster.sh), its
# tables compared with the local quick build's (results/, which `make cluster-test` builds first).
#
#   workflow/tools/cluster_test.sh [SNAKEMAKE TARGETS AND ARGUMENTS...]
#
# The build runs in a copy of the repository's tracked files (WORK, default /tmp/ffnn-cluster-build), so
# its results/ stand beside the local ones; snakemake is killed after LIMIT seconds (default 3600), so a
# hang fails instead of waiting. Each job's sbatch call is checked against its rule's threads, mem_mb
# and runtime. Exit status: snakemake's, or that of the comparison.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${WORK:-/tmp/ffnn-cluster-build}
LIMIT=${LIMIT:-3600}
PYTHON=$ROOT/.venv/bin/python

[[ -x $PYTHON ]] || { echo "cluster_test: no $PYTHON; run \`make env\` first" >&2; exit 1; }
[[ -d $ROOT/results ]] || { echo "cluster_test: no local build in $ROOT/results to compare with; run \`make quick\` first" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
git -C "$ROOT" ls-files -z | (cd "$ROOT" && xargs -0 tar -cf - ) | tar -xf - -C "$WORK"
ln -s "$ROOT/.venv" "$WORK/.venv"

started=$(date +%s)
status=0
(
  cd "$WORK"
  # the first status check soon after a job is submitted, so a short job's end is seen in seconds
  "$ROOT/workflow/tools/slurm_cluster.sh" run -- timeout --kill-after=30 "$LIMIT" \
    .venv/bin/snakemake --profile workflow/profiles/slurm --configfile config/quick.yaml \
    --slurm-init-seconds-before-status-checks 5 --verbose "$@" >"$WORK/cluster_build.log" 2>&1
) || status=$?
elapsed=$(($(date +%s) - started))
tail -n 5 "$WORK/cluster_build.log"
if [[ $status -eq 124 || $status -eq 137 ]]; then
  echo "cluster_test: snakemake did not finish within ${LIMIT} s (log: $WORK/cluster_build.log)" >&2
  exit "$status"
fi
[[ $status -eq 0 ]] || { echo "cluster_test: the cluster build failed (log: $WORK/cluster_build.log)" >&2; exit "$status"; }
echo "cluster_test: the cluster build took ${elapsed} s"
"$PYTHON" "$ROOT/workflow/tools/check_submissions.py" "$WORK/cluster_build.log"
"$PYTHON" "$ROOT/workflow/tools/compare_tables.py" "$ROOT/results" "$WORK/results"
