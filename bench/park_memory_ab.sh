#!/usr/bin/env bash
# Memory per idle logged-in device with and without parking
# (docs/BENCHMARKS.md#memory-per-device, docs/ARCHITECTURE.md#parked-connections):
# the same edgehubd with --park-idle 0 and with the default, alternating
# run by run, a fresh server each time; N devices log in with passwords
# (argon2id ops 1, 64 KiB, as in memory_bench.sh) and stay idle; RSS is read
# before the first connection and QUIESCE seconds after the last login.
#
#   bash bench/park_memory_ab.sh [BUILD_DIR]      (default: build-bench)
#
# Environment: CONNECTIONS (19500: a process may open 20,000 files), RUNS
# (3 of each), PARK (1000: the --park-idle compared with 0), QUIESCE (3 s:
# with the default, a device parks 1-2 s after its last input). BASELINE=
# PATH compares another edgehubd binary (an older commit's) with the
# build's instead, both with --park-idle PARK.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
connections=${CONNECTIONS:-19500}
runs=${RUNS:-3}
park=${PARK:-1000}
quiesce=${QUIESCE:-3}

. bench/lib.sh
build_targets "$build" edgehubd load
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/load

work=$(mktemp -d /tmp/edgehub-park-ab.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then stop_gracefully "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# one_run VARIANT N: prints "VARIANT N RSS_PER_CONN PARKED". A variant is a
# --park-idle value, or "baseline" / "build" with BASELINE set.
one_run() {
  local dir=$work/$1-$2 bin=$server_bin park_idle=$1
  case $1 in
    baseline) bin=$BASELINE park_idle=$park ;;
    build) park_idle=$park ;;
  esac
  mkdir -p "$dir"
  local http
  http=$(free_port)
  "$bin" --port 0 --http-port "$http" --data-dir "$dir/data" --log-level warn --argon2-ops 1 --argon2-mem-kib 64 \
    --credentials "$work/creds.txt" --park-idle "$park_idle" >"$dir/out" 2>"$dir/err" &
  server_pid=$!
  local port
  port=$(listening_port "$server_pid" "$dir" 1200)
  timeout 600 stdbuf -oL "$load_bin" --port "$port" --server-pid "$server_pid" --hold-seconds 1 --quiesce-seconds "$quiesce" \
    --connections "$connections" --processes 4 --concurrency 64 --phases login >"$dir/load" 2>&1 &
  local load_pid=$!
  # The parked count while the devices are held (the sample is taken then).
  local parked=?
  if wait_for_file_line "$dir/load" '^RESULT kind=memory' 6000; then
    parked=$(curl -s "http://127.0.0.1:$http/metrics" | sed -n 's/^edgehub_connections_parked \([0-9]*\).*/\1/p')
  fi
  wait "$load_pid" || echo "warning: the load failed (park-idle $1, run $2)" >&2
  stop_gracefully "$server_pid"
  server_pid=
  local line
  line=$(grep -m1 '^RESULT kind=memory .*connections=' "$dir/load" || true)
  echo "$1 $2 $(sed -n 's/.* rss_per_conn=\([0-9.]*\).*/\1/p' <<<"$line") $parked"
}

# wait_for_file_line FILE REGEX TENTHS
wait_for_file_line() {
  for _ in $(seq "$3"); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

echo "machine: $(nproc) cores of \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\"," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$connections idle logged-in devices, RSS sampled ${quiesce} s after the last login"
"$load_bin" --write-credentials "$work/creds.txt" --connections "$connections"
: >"$work/runs"
for r in $(seq "$runs"); do
  if [ -n "${BASELINE:-}" ]; then pair=(baseline build); else pair=(0 "$park"); fi
  if ((r % 2)); then order=("${pair[@]}"); else order=("${pair[1]}" "${pair[0]}"); fi
  for idle in "${order[@]}"; do
    one_run "$idle" "$r" | tee -a "$work/runs" >&2
  done
done
python3 - "$work/runs" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
print("| variant (--park-idle, or binary) | B per connection, median | best | all runs | parked at the sample |")
print("|---|---:|---:|---|---|")
for park in sorted({r[0] for r in rows}, key=lambda v: (not v.isdigit(), int(v) if v.isdigit() else v)):
    mine = [r for r in rows if r[0] == park and len(r) > 2]
    values = [float(r[2]) for r in mine]
    if values:
        print(f"| {park} | {statistics.median(values):,.0f} | {min(values):,.0f} | "
              + " ".join(f"{v:,.0f}" for v in values) + " | " + " ".join(r[3] if len(r) > 3 else "?" for r in mine) + " |")
PY
