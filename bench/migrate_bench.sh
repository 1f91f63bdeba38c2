#!/usr/bin/env bash
# `edgehubd migrate` rows per second, against psql's COPY of the same rows
# (the fastest way into PostgreSQL), interleaved (bench/migrate_bench.py,
# docs/BENCHMARKS.md#moving-a-hub-to-postgresql).
# Usage: bench/migrate_bench.sh BUILD_DIR   (env: LOGINS, MESSAGES, RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
EDGEHUB_BIN_DIR=$build/src/app python3 bench/migrate_bench.py "${LOGINS:-100000}" "${MESSAGES:-100000}" "${RUNS:-3}"
