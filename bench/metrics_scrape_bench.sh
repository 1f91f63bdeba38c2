#!/usr/bin/env bash
# The cost of /metrics (docs/BENCHMARKS.md#metrics-scrape-cost), four
# measures in one run:
#   0. CPU per counter update (bench/metrics_inc: 1 and 2 threads);
#   1. server CPU per scrape on an idle server: SCRAPES scrapes back to
#      back over one keep-alive connection, CPU from /proc/PID/stat;
#   2. server CPU per scrape under bench/msg_bench.sh's direct-message load
#      (PAIRS pairs, WINDOW in flight): runs with a scrape every 10 ms and
#      runs without, interleaved; the scrapes' CPU is what the server spent
#      beyond the messages' own cost (CPU per message of the runs without);
#      the kinds' order alternates run by run;
#   3. the messaging throughput of this edgehubd against one built from
#      BASE_REV, the commit before the instrumentation, interleaved.
#
#   bash bench/metrics_scrape_bench.sh [BUILD_DIR]     (default: build-bench)
#
# Environment: RUNS (3), SECONDS_PER_RUN (10), PAIRS (200), WINDOW (16),
# SCRAPES (5000), BASE_REV (57a943c; empty: skip measure 3), BASE_DIR
# (build-base: a git worktree of BASE_REV and its build, kept for ccache).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
runs=${RUNS:-3}
seconds=${SECONDS_PER_RUN:-10}
pairs=${PAIRS:-200}
window=${WINDOW:-16}
scrapes=${SCRAPES:-5000}
base_rev=${BASE_REV-57a943c}
base_dir=${BASE_DIR:-build-base}

. bench/lib.sh
build_targets "$build" edgehubd msg_load metrics_inc
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/msg_load
if [ -n "$base_rev" ]; then
  [ -d "$base_dir/src" ] || git worktree add --detach "$base_dir" "$base_rev" >/dev/null
  (cd "$base_dir" && build_targets build edgehubd)
  base_bin=$base_dir/build/src/app/edgehubd
fi

work=$(mktemp -d /tmp/edgehub-metrics-bench.XXXXXX)
wrapper=
server_pid=
cleanup() {
  if [ -n "$wrapper" ]; then stop_server; fi
  rm -rf "$work"
}
trap cleanup EXIT

note() { echo "== $*" >&2; }

# start BIN NAME [--http]: a fresh guest-mode edgehubd (as msg_bench.sh's);
# sets server_pid, port and http_port.
start() {
  local bin=$1 dir=$work/$2 http=()
  mkdir -p "$dir"
  http_port=
  if [ "${3:-}" = --http ]; then http_port=$(free_port); http=(--http-port "$http_port"); fi
  timeout 600 "$bin" --port 0 --data-dir "$dir/data" --log-level warn --guest --no-presence \
    --argon2-ops 1 --argon2-mem-kib 64 "${http[@]}" >"$dir/out" 2>"$dir/err" &
  wrapper=$!
  for _ in $(seq 100); do server_pid=$(pgrep -P "$wrapper" || true); [ -n "$server_pid" ] && break; sleep 0.05; done
  for _ in $(seq 300); do grep -q "listening on" "$dir/out" && break; sleep 0.1; done
  port=$(sed -n 's/^edgehubd listening on [0-9.]*:\([0-9]*\).*/\1/p' "$dir/out" | head -1)
  [ -n "$port" ] || { cat "$dir/err" >&2; return 1; }
  if [ -n "$http_port" ]; then wait_for_tcp "$http_port" "$wrapper" 100; fi
}

stop_server() {
  stop_gracefully "$server_pid"
  stop_gracefully "$wrapper"
  wrapper=
  server_pid=
}

load() {  # load NAME: one direct-message run against the running server
  timeout 300 "$load_bin" --port "$port" --server-pid "$server_pid" --mode direct --pairs "$pairs" \
    --window "$window" --seconds "$seconds" | grep '^RESULT' >"$work/$1.result"
}
value() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.result"; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"

note "0. one counter update"
for threads in 1 2; do "$build/bench/metrics_inc" "$threads"; done

note "1. $scrapes scrapes of an idle server"
start "$server_bin" idle --http
python3 bench/metrics_scrape.py "$server_pid" "$http_port" burst "$scrapes" | tee "$work/idle.result"
stop_server

note "2. scraping every 10 ms under load, and 3. against $base_rev, $runs runs each, interleaved"
for i in $(seq "$runs"); do
  # The order alternates run by run, so that neither kind always comes
  # first after a fresh start.
  kinds="plain scraped base"
  [ $((i % 2)) -eq 0 ] && kinds="base scraped plain"
  for kind in $kinds; do
    [ "$kind" = base ] && [ -z "$base_rev" ] && continue
    if [ "$kind" = base ]; then start "$base_bin" "$kind-$i"; else start "$server_bin" "$kind-$i" --http; fi
    rm -f "$work/stop"
    if [ "$kind" = scraped ]; then
      python3 bench/metrics_scrape.py "$server_pid" "$http_port" every 10 "$work/stop" >"$work/scrapes-$i.result" &
      scraper=$!
    fi
    load "$kind-$i"
    if [ "$kind" = scraped ]; then touch "$work/stop"; wait "$scraper"; fi
    echo "$kind run $i: $(cat "$work/$kind-$i.result" | tr '\n' ' ')" >&2
    stop_server
  done
done

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | msgs/s, HTTP on, no scrapes | msgs/s, a scrape every 10 ms | msgs/s, $base_rev (no metrics) | server CPU µs/msg: plain / scraped / $base_rev | scrapes/s | server CPU µs per scrape under load (difference) | render CPU µs per scrape (server's histogram) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for i in $(seq "$runs"); do
  python3 - "$work" "$i" "$seconds" <<'PY'
import re, sys
work, i, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
def field(name, key):
    try:
        m = re.search(rf"\b{key}=([0-9.]+)", open(f"{work}/{name}-{i}.result").read())
    except OSError:
        return None
    return float(m.group(1)) if m else None
rate = {k: field(k, "delivered_per_s") for k in ("plain", "scraped", "base")}
cpu = {k: field(k, "server_cpu_us_per_msg") for k in ("plain", "scraped", "base")}
per_s = field("scrapes", "per_s")
cost = "n/a"
if per_s and cpu["plain"] and cpu["scraped"]:
    cost = f"{(cpu['scraped'] - cpu['plain']) * rate['scraped'] / per_s:.0f}"
show = lambda v, f="{:.0f}": f.format(v) if v is not None else "-"
cpus = " / ".join(show(cpu[k], "{:.2f}") for k in ("plain", "scraped", "base"))
render = field("scrapes", "render_cpu_us")
print(f"| {i} | {show(rate['plain'])} | {show(rate['scraped'])} | {show(rate['base'])} | {cpus} | {show(per_s)} | {cost} "
      f"| {show(render, '{:.1f}')} |")
PY
done
