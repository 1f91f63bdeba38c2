#!/usr/bin/env bash
# Logins per second over TLS: edgehubd (resume tokens, device certificates)
# against mosquitto's TLS listener (password file, require_certificate),
# interleaved (bench/login_bench.py, docs/BENCHMARKS.md#logins-over-tls).
# Usage: bench/login_bench.sh BUILD_DIR   (env: COUNT, CONCURRENCY, RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
command -v mosquitto >/dev/null || bash scripts/install-deps.sh mosquitto
EDGEHUB_BIN_DIR=$build/src/app python3 bench/login_bench.py "${COUNT:-1000}" "${CONCURRENCY:-16}" "${RUNS:-5}"
