#!/usr/bin/env bash
# Cluster benchmark (issue 17; results in docs/BENCHMARKS.md#cluster): direct
# messages between logged-in devices, in the same run and interleaved,
#   sqlite      one edgehubd on SQLite (the default), sender and receiver on it;
#   pg-same     two edgehubd nodes on one PostgreSQL, sender and receiver on node A;
#   pg-cross    the same two nodes, senders on A, receivers on B (each message
#               is stored, announced with NOTIFY and delivered by B:
#               docs/CLUSTER.md#messages-across-nodes).
# Each round: the maximum rate (every sender keeps WINDOW messages in
# flight), then p50/p99/p99.9 latency at half of that configuration's own
# maximum (paced senders). Then logins per second on SQLite and on
# PostgreSQL (one node, LOGINS logins by 16 connections at a time).
#
#   bash bench/cluster_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: PAIRS (100), WINDOW (16), SECONDS_PER_RUN (10), RUNS (3),
# LOGINS (2000). PostgreSQL runs with fsync on (cluster_bench_setup in
# lib.sh): SQLite commits with fsync too. Every server and load run is
# bounded by `timeout` and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
pairs=${PAIRS:-100}
window=${WINDOW:-16}
seconds=${SECONDS_PER_RUN:-10}
runs=${RUNS:-3}
logins=${LOGINS:-2000}

. bench/lib.sh
build_targets "$build" edgehubd msg_load
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/msg_load

cluster_bench_setup cluster-bench
psql_do() { sql "$1" >/dev/null; }

"$load_bin" --write-credentials "$work/creds.txt" --recipients $((2 * pairs))

# start_node NAME [ARGS...]: an edgehubd with the accounts, on a free port;
# sets `port` and `pid` and remembers it for stop_all.
start_node() {
  local dir=$work/$1; shift
  mkdir -p "$dir"
  timeout 1200 "$server_bin" --port 0 --http-port 0 --data-dir "$dir/data" --log-level warn --no-presence \
    --credentials "$work/creds.txt" --argon2-ops 1 --argon2-mem-kib 64 "$@" >"$dir/out" 2>"$dir/err" &
  pid=$!
  pids+=("$pid")
  port=$(listening_port "$pid" "$dir" 600)
}
stop_all() {
  for p in "${pids[@]}"; do stop_gracefully "$p"; done
  pids=()
}

# load NAME ARGS...: one bounded msg_load run; its RESULT line is printed and kept.
load() {
  local name=$1; shift
  timeout 600 "$load_bin" --login --pairs "$pairs" --seconds "$seconds" "$@" | tee "$work/$name.result" |
    grep '^RESULT' || echo "warning: $name failed" >&2
}
value() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.result" 2>/dev/null; }
half_of() { local v; v=$(value "$1" delivered_per_s); echo $(( ${v%.*} / 2 )); }

# pace MODE ROUND CONFIG: how the senders send; latency runs at half of
# CONFIG's maximum in the same round. Two words, split by the caller.
pace() {
  if [ "$1" = latency ]; then echo "--rate $(half_of "max-$3-$2")"; else echo "--window $window"; fi
}

# one_round N MODE: the three configurations, fresh servers each.
one_round() {
  local r=$1 mode=$2
  note "round $r, $mode: sqlite"
  start_node "sqlite-$mode-$r"
  load "$mode-sqlite-$r" --port "$port" --server-pid "$pid" $(pace "$mode" "$r" sqlite)
  stop_all
  psql_do "CREATE DATABASE bench_${mode}_$r"
  local url="${pg_base}bench_${mode}_$r"
  start_node "a-$mode-$r" --database "$url"
  local port_a=$port pid_a=$pid
  start_node "b-$mode-$r" --database "$url"
  local port_b=$port
  note "round $r, $mode: pg-same"
  load "$mode-pg-same-$r" --port "$port_a" --server-pid "$pid_a" $(pace "$mode" "$r" pg-same)
  note "round $r, $mode: pg-cross"
  load "$mode-pg-cross-$r" --port "$port_a" --receiver-port "$port_b" --server-pid "$pid_a" $(pace "$mode" "$r" pg-cross)
  stop_all
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "postgresql: $(psql --version)"
for r in $(seq "$runs"); do
  one_round "$r" max
  one_round "$r" latency
done

note "logins per second: sqlite, then postgresql (one node each)"
for r in $(seq "$runs"); do
  start_node "login-sqlite-$r"
  timeout 600 python3 bench/cluster_logins.py "$port" "$logins" "$((2 * pairs))" | tee "$work/login-sqlite-$r.result"
  stop_all
  psql_do "CREATE DATABASE bench_login_$r"
  start_node "login-pg-$r" --database "${pg_base}bench_login_$r"
  timeout 600 python3 bench/cluster_logins.py "$port" "$logins" "$((2 * pairs))" | tee "$work/login-pg-$r.result"
  stop_all
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# A table row: median, best and every run of one measure.
row() {
  local label=$1 prefix=$2 key=$3 best=$4
  python3 - "$label" "$best" "$(for r in $(seq "$runs"); do value "$prefix-$r" "$key"; done)" <<'EOF'
import statistics, sys
label, best, values = sys.argv[1], sys.argv[2], [float(v) for v in sys.argv[3].split()]
if not values:
    print(f"| {label} | n/a | n/a | |"); sys.exit()
pick = max(values) if best == "max" else min(values)
print(f"| {label} | {statistics.median(values):.0f} | {pick:.0f} | {', '.join(f'{v:.0f}' for v in values)} |")
EOF
}
echo
echo "| measure | median | best | all runs |"
echo "|---|---:|---:|---|"
for c in sqlite pg-same pg-cross; do
  row "$c: direct messages/s (window $window)" "max-$c" delivered_per_s max
done
for c in sqlite pg-same pg-cross; do
  row "$c: p50 µs at half its maximum" "latency-$c" p50_us min
  row "$c: p99 µs at half its maximum" "latency-$c" p99_us min
  row "$c: p99.9 µs at half its maximum" "latency-$c" p999_us min
done
row "sqlite: logins/s" login-sqlite logins_per_s max
row "postgresql: logins/s" login-pg logins_per_s max
