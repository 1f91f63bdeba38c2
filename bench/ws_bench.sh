#!/usr/bin/env bash
# Browser sessions on the events WebSocket (docs/BENCHMARKS.md#web-console-sessions):
# server memory per idle session (SESSIONS, default 10,000) and the latency
# of broadcasts fanned out to FANOUT (1,000) sockets; bench/ws_bench.py.
#
#   bash bench/ws_bench.sh [BUILD_DIR]      (default: build-release)
#   SESSIONS=10000 FANOUT=1000 EVENTS=200 INTERVAL_MS=50 RUNS=3 PROCESSES=4 bash bench/ws_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build=${1:-build-release}
command -v libwebsockets-test-server >/dev/null || bash scripts/install-deps.sh libwebsockets-test-server
build_targets "$build" edgehubd ws_events
EDGEHUB_BIN_DIR=$build/src/app BENCH_BIN_DIR=$build/bench python3 bench/ws_bench.py
