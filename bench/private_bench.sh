#!/usr/bin/env bash
# Private-session message rate (bench/private_bench.py), RUNS runs per build,
# interleaved with a baseline build when one is given (for example a tree of
# the commit before end-to-end encryption). Usage:
#   bench/private_bench.sh BUILD_DIR [BASELINE_BUILD_DIR]   (env: RUNS, COUNT, SIZE)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1; baseline=${2:-}
runs=${RUNS:-5}; count=${COUNT:-20000}; size=${SIZE:-100}
for ((i = 1; i <= runs; i++)); do
  echo -n "run $i $build: "
  EDGEHUB_BIN_DIR=$build/src/app python3 bench/private_bench.py "$count" "$size"
  if [[ -n $baseline ]]; then
    echo -n "run $i $baseline: "
    EDGEHUB_BIN_DIR=$baseline/src/app python3 bench/private_bench.py "$count" "$size"
  fi
done
