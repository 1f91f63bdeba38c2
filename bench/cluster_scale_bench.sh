#!/usr/bin/env bash
# Cluster scale benchmark (issue 17; results in docs/BENCHMARKS.md#cluster-scale):
#  1. NODES edgehubd nodes on one PostgreSQL (fsync on), DEVICES logged-in
#     idle devices spread over them by `load` processes (each worker below
#     the 20,000 open files a process may have here, from its own 127.0.0.x).
#     Per node: devices, RSS before and after, RSS per own device; over an
#     IDLE-second window with every device connected and answering the
#     heartbeat (--heartbeat 30): PostgreSQL's CPU seconds and its
#     pg_stat_database deltas, and the nodes' CPU seconds. Then node 1 is
#     killed (SIGKILL) and a watcher device on the last node times the
#     `!LOGOUT`s of node 1's devices (the default lease).
#  2. A node's death, RUNS times for each lease in LEASES (10: the default;
#     1: the shortest --cluster-lease allows): two fresh nodes on a fresh
#     database, DEATH_DEVICES devices on the victim, the watcher on the
#     other (bench/cluster_death.py).
#
#   bash bench/cluster_scale_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: NODES (5), DEVICES (100000), PROCESSES (4 load workers per
# node), IDLE (60), RUNS (5; 0 leaves part 2 out), LEASES ("10 1"),
# DEATH_DEVICES (2000), KEEP (1 keeps the logs in the work directory). A node
# holds at most its open-file limit minus the files it has open before the
# load (minus a margin): the script caps each node's share there and says so.
# Every server and load runs under `timeout` and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
nodes=${NODES:-5}
devices=${DEVICES:-100000}
processes=${PROCESSES:-4}
idle=${IDLE:-60}
runs=${RUNS:-5}
leases=${LEASES:-10 1}
death_devices=${DEATH_DEVICES:-2000}

. bench/lib.sh
build_targets "$build" edgehubd load
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/load

cluster_bench_setup cluster-scale

# start_node DIR URL [ARGS...]: an edgehubd on the credentials file; sets
# port, and pid to edgehubd's own (not its `timeout`'s: kill -9 must hit it).
start_node() {
  local dir=$1 url=$2; shift 2
  mkdir -p "$dir"
  timeout 3600 "$server_bin" --port 0 --http-port 0 --data-dir "$dir/data" --log-level warn --database "$url" \
    --credentials "$work/creds.txt" --argon2-ops 1 --argon2-mem-kib 64 "$@" >"$dir/out" 2>"$dir/err" &
  pids+=("$!")
  port=$(listening_port "$!" "$dir" 6000)  # the first node imports every account: minutes
  pid=$(ps -o pid= --ppid "$!" | tr -d ' ')
  pids[-1]=$pid  # stopped itself: a SIGKILL to its `timeout` would leave it running
}

# await_line FILE REGEX TENTHS PID: until FILE has a line matching REGEX
# (the event the writer announces); fails if PID exits first or time runs out.
await_line() {
  for _ in $(seq "$3"); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || { grep -q "$2" "$1" 2>/dev/null && return 0; echo "process $4 ended: $1" >&2; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2
  return 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# cpu_ticks PID...: user + system clock ticks of those processes (and of the
# children of the first, for the postmaster: each backend is a process).
cpu_ticks() {
  local all=("$@")
  [ "${PG_CHILDREN:-0}" = 1 ] && mapfile -t -O ${#all[@]} all < <(ps -o pid= --ppid "$1")
  for p in "${all[@]}"; do cat "/proc/${p// /}/stat" 2>/dev/null; done |
    awk '{sub(/^.*\) /, ""); t += $12 + $13} END {print t + 0}'
}
pg_stats() {
  sql "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = '$1'"
}
seconds_of() { echo "scale=2; $1 / $(getconf CLK_TCK)" | bc; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "postgresql: $(psql --version); open-file limit per process: $(ulimit -Hn)"

# ---- 1. DEVICES devices over NODES nodes ----------------------------------
share=$(((devices + nodes - 1) / nodes))
: >"$work/creds.txt"
for n in $(seq "$nodes"); do
  "$load_bin" --write-credentials "$work/c$n" --connections "$share" --name-prefix "n${n}d"
  cat "$work/c$n" >>"$work/creds.txt"
done
echo "watch watch-password" >>"$work/creds.txt"
sql "CREATE DATABASE scale"
url="${pg_base}scale"
declare -a node_pid node_port node_dir
for n in $(seq "$nodes"); do  # one after the other: the first imports the accounts
  note "starting node $n"
  start_node "$work/node$n" "$url"
  node_pid[n]=$pid node_port[n]=$port node_dir[n]=$work/node$n
done
postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
limit=$(ulimit -Hn)
declare -a target rss_before
for n in $(seq "$nodes"); do
  open_files=$(ls "/proc/${node_pid[n]}/fd" | wc -l)
  # A few files to spare: a database reconnect, the device log, the watcher.
  target[n]=$((share < limit - open_files - 16 ? share : limit - open_files - 16))
  rss_before[n]=$(rss_kib "${node_pid[n]}")
  echo "node $n: $open_files files open before the load, room for ${target[n]} devices of $share"
done
watcher_out=$work/watcher.out
timeout 3600 python3 bench/cluster_death.py "${node_port[nodes]}" watch watch-password n1d "${target[1]}" \
  "${node_pid[1]}" 120 >"$watcher_out" 2>&1 &
watcher=$!
pids+=("$watcher")
await_line "$watcher_out" READY 300 "$watcher"
note "logging in $(IFS=+; echo "${target[*]}") devices"
started=$(date +%s.%N)
declare -a load_pid
for n in $(seq "$nodes"); do
  timeout 3600 "$load_bin" --port "${node_port[n]}" --connections "${target[n]}" --processes "$processes" \
    --name-prefix "n${n}d" --source-base "127.0.0.$((n * 10 + 2))" --concurrency 16 --phase-timeout 1800 \
    --quiesce-seconds 0 --hold-seconds 3000 --phases login >"$work/load$n.out" 2>&1 &
  load_pid[n]=$!
  pids+=("${load_pid[n]}")
done
for n in $(seq "$nodes"); do await_line "$work/load$n.out" "kind=holding" 18000 "${load_pid[n]}"; done
logged_in=$(echo "$(date +%s.%N) - $started" | bc)
grep -h "kind=phase" "$work"/load*.out
note "all logged in after ${logged_in%.*} s; idle window of $idle s"
await_line "$watcher_out" SEEN 600 "$watcher"
# PostgreSQL backends publish their statistics when idle for 10 s at the
# latest (PGSTAT_IDLE_INTERVAL): let the logins' last ones arrive first.
sleep 11
pg0=$(pg_stats scale)
pgcpu0=$(PG_CHILDREN=1 cpu_ticks "$postmaster")
nodecpu0=$(cpu_ticks "${node_pid[@]}")
sleep "$idle"  # the measurement window itself: nothing to await
pgcpu1=$(PG_CHILDREN=1 cpu_ticks "$postmaster")
nodecpu1=$(cpu_ticks "${node_pid[@]}")
sleep 11  # the window's own statistics, published (above)
pg1=$(pg_stats scale)

echo
echo "| node | devices (cluster_sessions) | RSS before | RSS with all devices | RSS per own device |"
echo "|---|---:|---:|---:|---:|"
total=0
for n in $(seq "$nodes"); do
  id=$(cat "${node_dir[n]}/data/cluster-node-id")
  held=$(sql "SELECT count(*) FROM cluster_sessions WHERE node_id = '$id'" scale)
  total=$((total + held))
  after=$(rss_kib "${node_pid[n]}")
  echo "| $n | $held | $((rss_before[n] / 1024)) MiB | $((after / 1024)) MiB | $(((after - rss_before[n]) * 1024 / (held > 0 ? held : 1))) B |"
done
echo "| all | $total | | | |"
echo
echo "idle window: $idle s, logins took ${logged_in%.*} s"
echo "postgresql CPU: $(seconds_of $((pgcpu1 - pgcpu0))) s; nodes' CPU: $(seconds_of $((nodecpu1 - nodecpu0))) s"
IFS='|' read -r x0 i0 u0 d0 <<<"$pg0"
IFS='|' read -r x1 i1 u1 d1 <<<"$pg1"
echo "pg_stat_database (scale): xact_commit +$((x1 - x0)), tup_inserted +$((i1 - i0)), tup_updated +$((u1 - u0)), tup_deleted +$((d1 - d0))"

note "killing node 1 (${target[1]} devices); the watcher is on node $nodes"
kill -USR1 "$(ps -o pid= --ppid "$watcher")"  # the watcher itself, not its `timeout`
await_line "$watcher_out" "RESULT\|timeout" 1800 "$watcher" || true
echo "death at scale (lease 10 s): $(grep -h 'RESULT\|timeout' "$watcher_out")"
for p in "${pids[@]}"; do stop_gracefully "$p"; done
pids=()

# ---- 2. a node's death, RUNS times per lease ------------------------------
[ "$runs" -gt 0 ] || exit 0
"$load_bin" --write-credentials "$work/creds.txt" --connections "$death_devices" --name-prefix d
echo "watch watch-password" >>"$work/creds.txt"
for lease in $leases; do
  for r in $(seq "$runs"); do
    note "death: lease $lease s, run $r"
    sql "CREATE DATABASE death_${lease}_$r"
    start_node "$work/victim-$lease-$r" "${pg_base}death_${lease}_$r" --cluster-lease "$lease"
    victim=$pid victim_port=$port
    start_node "$work/watcher-$lease-$r" "${pg_base}death_${lease}_$r" --cluster-lease "$lease"
    out=$work/death-$lease-$r.out
    timeout 600 python3 bench/cluster_death.py "$port" watch watch-password d "$death_devices" "$victim" 120 >"$out" 2>&1 &
    watcher=$!
    pids+=("$watcher")
    await_line "$out" READY 300 "$watcher"
    timeout 600 "$load_bin" --port "$victim_port" --connections "$death_devices" --name-prefix d \
      --phase-timeout 300 --hold-seconds 600 --phases login >"$work/death-load.out" 2>&1 &
    pids+=("$!")
    await_line "$out" SEEN 3000 "$watcher"
    kill -USR1 "$(ps -o pid= --ppid "$watcher")"  # the watcher itself, not its `timeout`
    await_line "$out" "RESULT\|timeout" 1800 "$watcher" || true
    echo "lease $lease run $r: $(grep -h 'RESULT\|timeout' "$out")" | tee -a "$work/deaths"
    for p in "${pids[@]}"; do stop_gracefully "$p"; done
    pids=()
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| lease | bound (lease + lease/3) | last !LOGOUT after the kill: median | best | all runs | first !LOGOUT: median |"
echo "|---:|---:|---:|---:|---|---:|"
for lease in $leases; do
  python3 - "$lease" "$work/deaths" <<'EOF'
import re, statistics, sys
lease, rows = sys.argv[1], open(sys.argv[2]).read().splitlines()
runs = [r for r in rows if r.startswith(f"lease {lease} ")]
last = [float(m.group(1)) for r in runs if (m := re.search(r"last_s=([0-9.]+)", r))]
first = [float(m.group(1)) for r in runs if (m := re.search(r"first_s=([0-9.]+)", r))]
missing = len(runs) - len(last)
if not last:
    print(f"| {lease} s | | n/a | | {missing} runs timed out | |"); sys.exit()
bound = float(lease) * 4 / 3
note = f" ({missing} timed out)" if missing else ""
print(f"| {lease} s | {bound:.2f} s | {statistics.median(last):.2f} s | {min(last):.2f} s | "
      f"{', '.join(f'{v:.2f}' for v in last)}{note} | {statistics.median(first):.2f} s |")
EOF
done
