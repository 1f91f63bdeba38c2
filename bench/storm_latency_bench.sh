#!/usr/bin/env bash
# Latency of logged-in devices during a login storm (issue 18: "devices
# already logged in keep p99 latency <= 20 ms meanwhile, because argon2 must
# never starve the network threads"; docs/BENCHMARKS.md, "Latency during a
# login storm"). PAIRS pairs of logged-in devices exchange direct messages
# at RATE messages/s (bench/msg_load --login) for SECONDS_PER_RUN seconds;
# in the "storm" runs, STORM devices log in at once (bench/load --phases
# login, 4 processes of 64 connections in flight) during that window, in the
# "quiet" runs nobody else connects. Runs alternate quiet/storm. Reports the
# pairs' p50/p99/p999 (median, best and all runs) and how long the storm
# took. Every server is fresh per run and stopped after it.
#
#   bash bench/storm_latency_bench.sh [BUILD_DIR]      (default: build-bench)
#
# Environment: PAIRS (100), RATE (5000 messages/s in total), STORM (10000),
# SECONDS_PER_RUN (12), RUNS (3 of each), ARGON2 ("cheap": ops 1, 64 KiB;
# "default": the server's default cost; its import of STORM accounts takes
# minutes, so it is done once into a template data directory that every run
# starts from, and a default-cost storm of 10,000 takes minutes too),
# STORM_NICE (0: the niceness of the storm's load tool,
# which shares the 2 cores with the server; 19 shows what the server does
# when the tool's processes yield to it), SERVER_ARGS (more edgehubd
# options for every run, e.g. "--park-idle 0").
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
pairs=${PAIRS:-100}
rate=${RATE:-5000}
storm=${STORM:-10000}
seconds=${SECONDS_PER_RUN:-12}
runs=${RUNS:-3}
argon2=${ARGON2:-cheap}
storm_nice=${STORM_NICE:-0}
read -r -a server_args <<<"${SERVER_ARGS:-}"

. bench/lib.sh
build_targets "$build" edgehubd msg_load load
server_bin=$build/src/app/edgehubd
msg_bin=$build/bench/msg_load
load_bin=$build/bench/load

work=$(mktemp -d /tmp/edgehub-storm-latency.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then stop_gracefully "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

cost_args=(--argon2-ops 1 --argon2-mem-kib 64)
if [ "$argon2" = default ]; then cost_args=(); fi
# The pairs' accounts (lat000000..) and the storm's (dev000001..), one file.
"$msg_bin" --write-credentials "$work/pairs.txt" --recipients $((2 * pairs)) --prefix lat
"$load_bin" --write-credentials "$work/storm.txt" --connections "$storm"
cat "$work/pairs.txt" "$work/storm.txt" >"$work/creds.txt"
# Long enough for STORM logins at the default cost (measured on a 2-core
# AMD EPYC: ~10 logins a second, 0.23 s of CPU per verification).
phase_timeout=120
if [ "$argon2" = default ]; then phase_timeout=$((storm / 5 + 120)); fi

# The accounts are hashed once, into a data directory each run copies: the
# server finds the credentials file's digest there and does not hash again.
import_accounts() {
  mkdir -p "$work/import"
  timeout 3600 "$server_bin" --port 0 --http-port 0 --data-dir "$work/template" --log-level warn \
    "${cost_args[@]}" --credentials "$work/creds.txt" >"$work/import/out" 2>"$work/import/err" &
  server_pid=$!
  listening_port "$server_pid" "$work/import" 36000 >/dev/null  # (tenths of a second)
  stop_gracefully "$server_pid"
  server_pid=
}

# one_run KIND N: a fresh server, the pairs' messages, and in a storm run
# the storm started once the pairs are measuring. Prints the figures.
one_run() {
  local kind=$1 n=$2 dir=$work/$1-$2
  mkdir -p "$dir"
  cp -a "$work/template" "$dir/data"
  timeout $((phase_timeout + 1800)) "$server_bin" --port 0 --http-port 0 --data-dir "$dir/data" --log-level warn --no-presence \
    "${cost_args[@]}" "${server_args[@]}" --credentials "$work/creds.txt" >"$dir/out" 2>"$dir/err" &
  server_pid=$!
  local port
  port=$(listening_port "$server_pid" "$dir" 300)
  timeout 600 "$msg_bin" --mode direct --login --prefix lat --port "$port" --pairs "$pairs" --rate "$rate" \
    --warmup 2 --seconds "$seconds" --server-pid "$server_pid" >"$dir/msg" 2>&1 &
  local msg_pid=$!
  local storm_line="none"
  if [ "$kind" = storm ]; then
    # The pairs log in and warm up first: wait for them all, then storm.
    wait_for_logins "$dir" "$((2 * pairs))"
    timeout $((phase_timeout + 60)) nice -n "$storm_nice" "$load_bin" --port "$port" --server-pid "$server_pid" \
      --hold-seconds 1 --connections "$storm" --phase-timeout "$phase_timeout" --processes 4 --concurrency 64 --phases login >"$dir/load" 2>&1 || echo "warning: the storm failed" >&2
    storm_line=$(grep -m1 '^RESULT kind=phase' "$dir/load" | sed 's/^RESULT kind=phase //')
  fi
  wait "$msg_pid" || echo "warning: msg_load failed in $kind run $n" >&2
  stop_gracefully "$server_pid"
  server_pid=
  local result
  result=$(grep -m1 '^RESULT direct' "$dir/msg" || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$n" "$(field "$result" p50_us)" "$(field "$result" p99_us)" \
    "$(field "$result" p999_us)" "$(field "$result" delivered_per_s)" "$storm_line" >>"$work/runs.tsv"
  echo "  $kind run $n: p50 $(field "$result" p50_us) us, p99 $(field "$result" p99_us) us," \
    "p999 $(field "$result" p999_us) us; storm: $storm_line" >&2
}

field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

# wait_for_logins DIR N: until N devices are in the server's device log.
wait_for_logins() {
  local log=$1/data/edge-device-log.txt
  for _ in $(seq 600); do
    if [ -f "$log" ] && [ "$(wc -l <"$log")" -ge "$2" ]; then return 0; fi
    sleep 0.1
  done
  echo "the pairs did not log in" >&2
  return 1
}

echo "machine: $(nproc) cores of \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\"," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "pairs $pairs at $rate messages/s for ${seconds} s; storm of $storm logins (load tool at nice $storm_nice);" \
  "argon2 $argon2; server options: ${server_args[*]:-none}"
: >"$work/runs.tsv"
import_started=$(date +%s)
import_accounts
echo "accounts hashed and stored once in $(($(date +%s) - import_started)) s"
for r in $(seq "$runs"); do
  one_run quiet "$r"
  one_run storm "$r"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/runs.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print("| runs | p50 ms, median | p99 ms, median | p99 ms, best | p99 ms, all runs | p999 ms, median | delivered/s, median |")
print("|---|---:|---:|---:|---|---:|---:|")
for kind in ("quiet", "storm"):
    mine = [r for r in rows if r[0] == kind and r[3]]
    if not mine:
        continue
    ms = lambda i: [int(r[i]) / 1000 for r in mine]
    print(f"| {kind} | {statistics.median(ms(2)):.2f} | {statistics.median(ms(3)):.2f} | {min(ms(3)):.2f} | "
          + " ".join(f"{v:.2f}" for v in ms(3))
          + f" | {statistics.median(ms(4)):.2f} | {statistics.median(float(r[5]) for r in mine):,.0f} |")
for r in rows:
    if r[0] == "storm":
        print(f"storm run {r[1]}: {r[6]}")
PY
