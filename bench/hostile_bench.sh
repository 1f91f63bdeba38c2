#!/usr/bin/env bash
# Issue 14's hostile load at full size (results in docs/BENCHMARKS.md,
# "Hostile load"): broadcast amplification (100 devices that never read,
# 3,000 pipelined broadcasts of 2,000 bytes) and a wrong-login flood (100
# connections x 30 at the default argon2 cost) against a real login from
# another address. Each case starts its own edgehubd; bounded by CAP (30 s
# of broadcasts) and `timeout`.
#
#   bash bench/hostile_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: the sizes in bench/hostile_load.py (STUCK, BROADCASTS, CAP,
# FLOOD, LOGINS); EDGEHUB_BIN_DIR to measure another edgehubd (e.g. main's).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
. bench/lib.sh
if [ -z "${EDGEHUB_BIN_DIR:-}" ]; then
  build_targets "$build" edgehubd
  export EDGEHUB_BIN_DIR=$build/src/app
fi
echo "edgehubd: $EDGEHUB_BIN_DIR/edgehubd; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
timeout 600 python3 bench/hostile_load.py broadcast login
