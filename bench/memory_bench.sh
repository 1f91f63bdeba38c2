#!/usr/bin/env bash
# Memory against connections (issue 18; docs/BENCHMARKS.md, "Memory against
# connections"): the server's RSS with N idle logged-in devices, edgehubd
# against Mosquitto with N idle MQTT 3.1.1 clients, for several N, runs
# interleaved (the order of the two servers alternates run by run). Each run
# gets a fresh server; RSS is read before the devices connect and after they
# all are idle (bench/load, bench/mqtt_idle: --server-pid). Draws
# docs/bench/memory.svg with gnuplot.
#
#   bash bench/memory_bench.sh [BUILD_DIR]      (default: build-bench)
#
# Environment: COUNTS ("2000 5000 10000 15000 19500": a process may open
# 20,000 files here), RUNS (2), PROCESSES (4 load processes, each from its
# own 127.0.0.x), RESULTS (directory for memory.tsv, memory.svg; default
# BUILD_DIR/memory-bench), UPDATE_DOCS=1 (also copies them into docs/bench/).
# edgehubd: password logins of accounts from a credentials file at a cheap
# argon2 cost (the memory does not depend on it), notify off; the same file
# of max(COUNTS) accounts for every run, so the baseline is the same.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
counts=${COUNTS:-2000 5000 10000 15000 19500}
runs=${RUNS:-2}
processes=${PROCESSES:-4}
results=${RESULTS:-$build/memory-bench}

. bench/lib.sh
build_targets "$build" edgehubd load mqtt_idle
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/load
mqtt_bin=$build/bench/mqtt_idle
bash scripts/install-deps.sh mosquitto gnuplot-nox
mkdir -p "$results"

work=$(mktemp -d /tmp/edgehub-memory-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then stop_gracefully "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_server edgehubd|mosquitto NAME: a fresh server; sets server_pid, port.
start_server() {
  local dir=$work/$2
  mkdir -p "$dir"
  if [ "$1" = edgehubd ]; then
    "$server_bin" --port 0 --http-port 0 --data-dir "$dir/data" --log-level warn --argon2-ops 1 \
      --argon2-mem-kib 64 --credentials "$work/creds.txt" >"$dir/out" 2>"$dir/err" &
    server_pid=$!
    port=$(listening_port "$server_pid" "$dir" 1200)  # importing the accounts hashes each
  else
    port=$(free_port)
    write_mosquitto_conf "$dir/mosquitto.conf" "$port"
    mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
    server_pid=$!
    wait_for_tcp "$port" "$server_pid" 100
  fi
}

# measure SERVER N RUN: one bounded run; appends its figures to the table.
measure() {
  local server=$1 n=$2 run=$3 out=$work/$1-$2-$3.load
  start_server "$server" "$server-$n-$run"
  if [ "$server" = edgehubd ]; then
    timeout 600 "$load_bin" --port "$port" --server-pid "$server_pid" --hold-seconds 2 --quiesce-seconds 3 --connections "$n" \
      --processes "$processes" --concurrency 64 --phases login >"$out" 2>&1 || echo "warning: $server $n failed" >&2
  else
    timeout 600 "$mqtt_bin" --port "$port" --server-pid "$server_pid" --hold-seconds 2 --connections "$n" \
      --processes "$processes" --concurrency 64 >"$out" 2>&1 || echo "warning: $server $n failed" >&2
  fi
  stop_gracefully "$server_pid"
  server_pid=
  local line
  line=$(grep -m1 '^RESULT kind=memory .*connections=' "$out" || true)
  field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$n" "$run" "$(field rss_before_kib)" "$(field rss_after_kib)" \
    "$(field rss_per_conn)" >>"$tsv"
  echo "  $server, $n connections, run $run: $(field rss_per_conn) B per connection" >&2
}

machine="$(nproc) cores of \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\", $(. /etc/os-release; echo "$PRETTY_NAME")"
echo "machine: $machine, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "mosquitto: $(mosquitto -h 2>&1 | sed -n 's/^mosquitto version //p')"
largest=$(tr ' ' '\n' <<<"$counts" | sort -n | tail -1)
"$load_bin" --write-credentials "$work/creds.txt" --connections "$largest"

tsv=$results/memory.tsv
printf 'server\tconnections\trun\trss_before_kib\trss_after_kib\trss_per_conn\n' >"$tsv"
for n in $counts; do
  for r in $(seq "$runs"); do
    if ((r % 2)); then order=(edgehubd mosquitto); else order=(mosquitto edgehubd); fi
    for server in "${order[@]}"; do measure "$server" "$n" "$r"; done
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 bench/memory_bench_report.py "$tsv" "$results/memory.dat"
gnuplot -e "data='$results/memory.dat'; out='$results/memory.svg'; machine='$machine'" bench/memory_bench.gp
echo "plot: $results/memory.svg"
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
  cp "$results/memory.svg" "$results/memory.tsv" docs/bench/
  echo "docs/bench/memory.{svg,tsv} updated"
fi
