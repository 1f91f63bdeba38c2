#!/usr/bin/env bash
# A node's stop under load (issue 17; results in docs/BENCHMARKS.md#cluster-stop):
# three edgehubd nodes on one PostgreSQL, DEVICES idle devices logged in on
# each (bench/load). Node 1 is killed (SIGKILL); as soon as node 2 logs that
# node 1 is gone (it is taking node 1's devices off its lists), nodes 2 and 3
# get SIGTERM. Reports, RUNS times: each node's exit status and how long it
# took to stop, and any sanitizer report in their logs. Run it on an ASan
# build to check the shutdown's memory safety (the crash of
# docs/CLUSTER.md#what-is-not-there-yet was found this way):
#
#   bash bench/cluster_stop_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: DEVICES (6000 per node), RUNS (3), LEASE (2 s, so that node 1's
# death shows quickly), KEEP (1 keeps the logs in the work directory).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
devices=${DEVICES:-6000}
runs=${RUNS:-3}
lease=${LEASE:-2}

. bench/lib.sh
build_targets "$build" edgehubd load
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/load

cluster_bench_setup cluster-stop
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
: >"$work/creds.txt"
for n in 1 2 3; do
  "$load_bin" --write-credentials "$work/c$n" --connections "$devices" --name-prefix "n${n}d"
  cat "$work/c$n" >>"$work/creds.txt"
done
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), build $build, $devices devices per node, lease $lease s, $(date -u '+%Y-%m-%d %H:%M UTC')"

# one_run R: a fresh database and three fresh nodes; prints one line per stopped node.
one_run() {
  local r=$1 dir=$work/run$1 n
  local -a node_pid node_port waiter
  sql "CREATE DATABASE stop_$r"
  for n in 1 2 3; do
    mkdir -p "$dir/node$n"
    timeout 1800 "$server_bin" --port 0 --http-port 0 --data-dir "$dir/node$n/data" --log-level info \
      --database "${pg_base}stop_$r" --cluster-lease "$lease" --credentials "$work/creds.txt" \
      --argon2-ops 1 --argon2-mem-kib 64 >"$dir/node$n/out" 2>"$dir/node$n/err" &
    pids+=("$!")
    waiter[n]=$!
    node_port[n]=$(listening_port "$!" "$dir/node$n" 6000)
    node_pid[n]=$(ps -o pid= --ppid "$!" | tr -d ' ')  # edgehubd itself, not its `timeout`
  done
  for n in 1 2 3; do
    timeout 1800 "$load_bin" --port "${node_port[n]}" --connections "$devices" --processes 1 --name-prefix "n${n}d" \
      --source-base "127.0.0.$((n * 10 + 2))" --concurrency 16 --phase-timeout 900 --quiesce-seconds 0 \
      --hold-seconds 1200 --phases login >"$dir/load$n.out" 2>&1 &
    pids+=("$!")
  done
  for n in 1 2 3; do
    for _ in $(seq 9000); do grep -q "kind=holding" "$dir/load$n.out" && break; sleep 0.1; done
  done
  local id1; id1=$(cat "$dir/node1/data/cluster-node-id")
  kill -9 "${node_pid[1]}"
  for _ in $(seq 3000); do grep -q "node $id1 is gone" "$dir/node2/err" && break; sleep 0.01; done
  local t0; t0=$(date +%s.%N)
  kill -TERM "${node_pid[2]}" "${node_pid[3]}"
  for n in 2 3; do
    local status=0
    wait "${waiter[n]}" || status=$?  # `timeout` passes edgehubd's status on
    local took; took=$(echo "$(date +%s.%N) - $t0" | bc)
    local clean=no report=none
    grep -q "stopped cleanly" "$dir/node$n/err" && clean=yes
    grep -q "ERROR: AddressSanitizer\|runtime error:\|WARNING: ThreadSanitizer\|corrupted" "$dir/node$n/err" && report=YES
    echo "run $r node $n: exit status $status, stopped in ${took:0:5} s, 'stopped cleanly' $clean, sanitizer report $report"
  done
  for p in "${pids[@]}"; do stop_gracefully "$p"; done
  pids=()
}

for r in $(seq "$runs"); do one_run "$r"; done
