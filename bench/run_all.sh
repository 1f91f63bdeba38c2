#!/usr/bin/env bash
# `make bench`: builds a Release tree and runs every benchmark script in
# bench/ (each writes its own results table; copy them into
# docs/BENCHMARKS.md). Long-running; not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DEDGEHUB_TESTS=OFF
for script in bench/*_bench.sh; do
  echo "=== $script"
  bash "$script" build-release || echo "!!! $script failed"
done
