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
# The file benchmark once more over a rate-limited link (network namespace +
# veth + tbf: root only), as in docs/BENCHMARKS.md.
if [[ $(id -u) == 0 ]]; then
  echo "=== bench/files_bench.sh over a 2500mbit link"
  LINK=2500mbit SIZE_MB=256 RUNS=5 bash bench/files_bench.sh build-release || echo "!!! files_bench.sh (link) failed"
fi
# Issue 14's memory and history checks (python, the real edgehubd).
echo "=== bench/status_growth.py"
EDGEHUB_BIN_DIR=build-release/src/app python3 bench/status_growth.py 20000 || echo "!!! status_growth.py failed"
# TLS: server memory per idle connection against plaintext (docs/BENCHMARKS.md#tls).
echo "=== bench/tls_idle_memory.py"
EDGEHUB_BIN_DIR=build-release/src/app python3 bench/tls_idle_memory.py 2000 3 || echo "!!! tls_idle_memory.py failed"
