#!/usr/bin/env bash
# `make bench`: builds a Release tree and runs every benchmark script in
# bench/. Long-running; not part of the test command. Each script writes its
# own results table and bounds its own time; this one keeps a record of the
# whole run in bench/results/make-bench-DATE.txt (not committed): the
# machine (CPU model, flags, cores, memory, kernel), the versions of
# edgehubd and of the tools it is measured against, and for every step its
# command, start time, load average, output and exit status. The figures
# worth keeping go into docs/BENCHMARKS.md from there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
record=bench/results/make-bench-$(date -u +%Y%m%d-%H%M%S).txt
exec > >(tee "$record") 2>&1

version_of() {  # the first line a tool prints about its version, or "not installed"
  local tool=$1
  shift
  if command -v "$tool" >/dev/null; then "$tool" "$@" 2>&1 | grep -m1 . || true; else echo "not installed"; fi
}

machine_header() {
  echo "# make bench, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
  echo "cpu flags of note: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
    grep -xE 'sha_ni|aes|vaes|avx2|avx512f|pclmulqdq|vpclmulqdq' | tr '\n' ' ')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); kernel $(uname -r);" \
    "$(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "edgehub: $(git describe --always --dirty 2>/dev/null || echo unknown)"
  echo "mosquitto: $(version_of mosquitto -h)"
  echo "aria2c: $(version_of aria2c --version)"
  echo "nginx: $(version_of nginx -v)"
  echo "socat: $(if command -v socat >/dev/null; then socat -V | grep -m1 'socat version'; else echo "not installed"; fi)"
  echo "curl: $(version_of curl --version)"
  echo "openssl: $(version_of openssl version)"
  echo "gnuplot: $(version_of gnuplot --version)"
}

failed=()
# step COMMAND...: runs one benchmark, recording its command and outcome.
step() {
  echo
  echo "=== $* (started $(date -u '+%H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local status=0
  "$@" || status=$?
  echo "=== exit status $status: $*"
  if ((status != 0)); then failed+=("$*"); fi
}

machine_header
bash scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DEDGEHUB_TESTS=OFF
for script in bench/*_bench.sh; do step bash "$script" build-release; done
# The plot of throughput per feature against its anchor: drawn from the
# figures docs/bench/features.tsv copies from docs/BENCHMARKS.md, not from
# this run's, so it only checks that the plot is still drawn.
step env UPDATE_DOCS=0 bash bench/features_plot.sh
# The file benchmark once more over a rate-limited link (network namespace +
# veth + tbf: root only), as in docs/BENCHMARKS.md.
if [[ $(id -u) == 0 ]]; then step env LINK=2500mbit SIZE_MB=256 RUNS=5 bash bench/files_bench.sh build-release; fi
# Issue 18's routing cost: server CPU and system calls per routed message,
# edgehubd against Mosquitto, and the kernel's floor under it (one small
# loopback TCP write) (docs/BENCHMARKS.md#routing-cost).
step env LOAD=build-release/bench/msg_load bash bench/routing_ab.sh build-release/src/app
step build-release/bench/tcp_send_floor
# Issue 18's memory per idle device with and without parking (docs/BENCHMARKS.md#parked-connections).
step bash bench/park_memory_ab.sh build-release
# Issue 14's memory and history checks (python, the real edgehubd).
step env EDGEHUB_BIN_DIR=build-release/src/app python3 bench/status_growth.py 20000
# TLS: server memory per idle connection against plaintext (docs/BENCHMARKS.md#tls).
step env EDGEHUB_BIN_DIR=build-release/src/app python3 bench/tls_idle_memory.py 2000 3

echo
echo "record of this run: $record"
if ((${#failed[@]} > 0)); then
  printf 'failed: %s\n' "${failed[@]}"
  exit 1
fi
