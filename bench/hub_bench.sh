#!/usr/bin/env bash
# Hub benchmark (issue 2): concurrent idle logged-in devices, server memory
# per idle connection, logins per second at two argon2 costs, resume logins
# per second, and Mosquitto holding the same number of idle MQTT clients.
#
#   bash bench/hub_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: CONNECTIONS (19500: the server may open 20,000 files here),
# PROCESSES (4 load processes, each from its own 127.0.0.x), SLOW_ACCOUNTS
# (100 accounts for the default, expensive argon2 cost), HOLD (3 s idle at
# the end of each run). Every phase runs under `timeout`; every process the
# script starts is stopped by PID on exit. Results go to stdout as a table;
# the raw RESULT lines are kept in the log printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
connections=${CONNECTIONS:-19500}
processes=${PROCESSES:-4}
slow_accounts=${SLOW_ACCOUNTS:-100}
hold=${HOLD:-3}
half=$((connections / 2))

targets=(edgehubd load mqtt_idle)
. bench/lib.sh
build_targets "$build" "${targets[@]}"
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/load
mqtt_bin=$build/bench/mqtt_idle
bash scripts/install-deps.sh mosquitto

work=$(mktemp -d /tmp/edgehub-hub-bench.XXXXXX)
log=$work/results.log
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

note() { echo "== $*" >&2; }

# start_edgehubd NAME ARGS...: starts a server on a free port, sets
# $server_pid and $server_port once it listens (bounded wait).
start_edgehubd() {
  local name=$1; shift
  local dir=$work/$name
  mkdir -p "$dir"
  "$server_bin" --port 0 --http-port 0 --data-dir "$dir/data" --log-level warn "$@" >"$dir/out" 2>"$dir/err" &
  server_pid=$!
  pids+=("$server_pid")
  # Importing many accounts hashes each: up to 120 s.
  server_port=$(listening_port "$server_pid" "$dir" 1200) || return 1
}

stop_server() { stop_gracefully "$server_pid"; }

# run_load TAG TOOL ARGS...: one bounded load run; its RESULT lines go to
# the log with TAG in front.
run_load() {
  local tag=$1 tool=$2; shift 2
  local out=$work/$tag.load
  timeout 600 "$tool" --port "$server_port" --server-pid "$server_pid" --hold-seconds "$hold" "$@" >"$out" 2>&1 || \
    echo "warning: $tag load exited with status $?" >&2
  sed -n "s/^RESULT /$tag /p" "$out" >>"$log"
}

# --- 1. password logins (cheap argon2), memory at N/2 and N, resume ------
"$load_bin" --write-credentials "$work/creds-$connections.txt" --connections "$connections"
cheap=(--argon2-ops 1 --argon2-mem-kib 64 --credentials "$work/creds-$connections.txt")
for n in "$half" "$connections"; do
  note "edgehubd, $n devices: notify off + login (argon2id ops=1 mem=64 KiB), then resume"
  start_edgehubd "login-$n" "${cheap[@]}"
  run_load "login-$n" "$load_bin" --connections "$n" --processes "$processes" --concurrency 64 --phases login,resume
  stop_server
done

# --- 2. guests with --no-presence (no argon2, no login step) -------------
note "edgehubd --guest --no-presence, $connections devices"
start_edgehubd guest --guest --no-presence --credentials /dev/null
run_load guest "$load_bin" --connections "$connections" --processes "$processes" --concurrency 64 --phases guest
stop_server

# --- 3. logins per second at the default argon2 cost ---------------------
note "edgehubd default argon2id (ops=2 mem=64 MiB): $slow_accounts accounts (import hashes each once)"
"$load_bin" --write-credentials "$work/creds-$slow_accounts.txt" --connections "$slow_accounts"
start_edgehubd slow --credentials "$work/creds-$slow_accounts.txt"
run_load slow "$load_bin" --connections "$slow_accounts" --processes 1 --concurrency "$slow_accounts" --phases login,resume
stop_server

# --- 4. Mosquitto with the same number of idle MQTT connections ----------
note "mosquitto $(mosquitto -h 2>&1 | sed -n 's/^mosquitto version //p'), $connections idle MQTT 3.1.1 clients"
mqtt_port=$(free_port)
write_mosquitto_conf "$work/mosquitto.conf" "$mqtt_port"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.out" 2>&1 &
server_pid=$!
server_port=$mqtt_port
pids+=("$server_pid")
wait_for_tcp "$mqtt_port" "$server_pid" 100 || { echo "mosquitto did not start" >&2; exit 1; }
run_load mosquitto "$mqtt_bin" --connections "$connections" --processes "$processes" --concurrency 64
stop_server

# --- table ----------------------------------------------------------------
# Log lines: "TAG kind=K key=value ...". Markdown tables for docs/BENCHMARKS.md.
table_awk='
function kv(   i, p) { delete f; for (i = 2; i <= NF; i++) { split($i, p, "="); f[p[1]] = p[2] } }
{ kv() }
f["kind"] == "memory" && f["valid"] != "0" {
  mem[++nm] = sprintf("| %s, after %s | %s | %s | %s | %s | %s | %s |", $1, f["phase"], f["connections"],
    f["rss_before_kib"], f["rss_after_kib"], f["rss_per_conn"], f["pss_per_conn"], f["private_per_conn"])
  if (f["round"] == 0) { after[$1] = f["rss_after_kib"]; before[$1] = f["rss_before_kib"] }
}
f["kind"] == "phase" {
  rate[++nr] = sprintf("| %s | %s | %s | %s | %s | %s | %s | %s |", $1, f["phase"], f["ok"], f["failed"], f["seconds"],
    f["rate"], f["mean_ms"], f["max_ms"])
}
f["kind"] == "end" { held[$1] = f["open"]; lost[$1] = f["lost"] }
END {
  print "| server, state | connections | RSS before (KiB) | RSS after (KiB) | RSS per conn (B) | Pss per conn (B) | Private per conn (B) |"
  print "|---|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= nm; i++) print mem[i]
  print ""
  print "| run | handshake | ok | failed | seconds | per second | mean latency (ms) | max latency (ms) |"
  print "|---|---|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= nr; i++) print rate[i]
  print ""
  for (t in held) printf("%s: %s connections still open at the end of the hold, %s dropped by the server\n", t, held[t], lost[t])
  a = "login-" half; b = "login-" full
  if ((a in after) && (b in after)) {
    slope = (after[b] - after[a]) * 1024 / (full - half)
    printf("marginal RSS per logged-in connection between %d and %d: %.0f B\n", half, full, slope)
    printf("projection to 100,000: %.0f MiB baseline + 100,000 x %.0f B = %.0f MiB\n", before[b] / 1024, slope,
      (before[b] * 1024 + slope * 100000) / 1048576)
  }
}'

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(date -u '+%Y-%m-%d %H:%M UTC'), ulimit -Hn $(ulimit -Hn)"
echo
awk -v half="$half" -v full="$connections" "$table_awk" "$log"
echo
echo "raw results:"
cat "$log"
