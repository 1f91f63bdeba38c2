#!/usr/bin/env bash
# Messaging benchmark (issue 3; results in docs/BENCHMARKS.md, "Messaging"):
#   1. routed direct messages/s between PAIRS pairs of online clients
#      (each sender keeps WINDOW messages in flight);
#   2. latency p50/p99 at half that rate (paced senders);
#   3. broadcast deliveries/s to RECEIVERS clients (in 2 load processes);
#   4. durable offline messages stored/s (SENDERS senders, group commit).
#
#   bash bench/msg_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: PAIRS (200), WINDOW (16), SECONDS_PER_RUN (10), RECEIVERS (10000),
# BROADCASTS (50), SENDERS (200), OFFLINE (40000). Each phase gets a fresh
# edgehubd (--guest --no-presence: no logins, no presence fan-out), runs
# under `timeout`, and every process started here is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
pairs=${PAIRS:-200}
window=${WINDOW:-16}
seconds=${SECONDS_PER_RUN:-10}
receivers=${RECEIVERS:-10000}
broadcasts=${BROADCASTS:-50}
senders=${SENDERS:-200}
offline=${OFFLINE:-40000}

targets=(edgehubd msg_load)
. bench/lib.sh
build_targets "$build" "${targets[@]}"
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/msg_load

work=$(mktemp -d /tmp/edgehub-msg-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

note() { echo "== $*" >&2; }

# start_server NAME ARGS...: fresh data dir; sets server_pid and port.
start_server() {
  local dir=$work/$1; shift
  mkdir -p "$dir"
  "$server_bin" --port 0 --data-dir "$dir/data" --log-level warn --guest --no-presence \
    --argon2-ops 1 --argon2-mem-kib 64 "$@" >"$dir/out" 2>"$dir/err" &
  server_pid=$!
  port=$(listening_port "$server_pid" "$dir" 300) || return 1
}

stop_server() {
  stop_gracefully "$server_pid"
  server_pid=
}

# run NAME ARGS...: one bounded msg_load run; prints its RESULT line.
run() {
  local name=$1; shift
  timeout 600 "$load_bin" --port "$port" --server-pid "$server_pid" "$@" | tee "$work/$name.result" | grep '^RESULT' || \
    { echo "warning: $name failed" >&2; return 1; }
}

value() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.result"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"

note "1. routed direct messages, $pairs pairs, window $window, ${seconds}s"
start_server direct
run direct --mode direct --pairs "$pairs" --window "$window" --seconds "$seconds"
stop_server
max=$(value direct delivered_per_s)

half=$(( ${max%.*} / 2 ))
note "2. latency at half that rate: $half messages/s"
start_server latency
run latency --mode direct --pairs "$pairs" --rate "$half" --seconds "$seconds"
stop_server

note "3. broadcast to $receivers clients, $broadcasts broadcasts"
start_server broadcast
run broadcast --mode broadcast --receivers "$receivers" --procs 2 --count "$broadcasts" --window 4
stop_server

note "4. durable offline messages: $senders senders, $offline messages to 1000 offline accounts"
"$load_bin" --write-credentials "$work/creds.txt" --recipients 1000
start_server offline --credentials "$work/creds.txt"
run offline --mode offline --senders "$senders" --recipients 1000 --count "$offline"
stop_server
