#!/usr/bin/env bash
# HTTP upload memory (docs/BENCHMARKS.md#http-upload-memory): curl PUTs a
# body of SIZE_GB GiB, generated on the fly (head -c /dev/zero | curl -T -,
# never stored by the benchmark), to edgehubd (PUT /api/v1/files/NAME,
# logged in) and to nginx (WebDAV PUT, which spools the body to a file and
# renames it: the anchor), interleaved, RUNS times each. Prints, per run,
# the server's peak RSS (VmHWM) before and after, the growth, and the
# throughput; the uploaded file is removed after each run.
#
#   bench/http_upload_bench.sh [BUILD_DIR]            (default: build)
#   SIZE_GB=10 RUNS=1 bench/http_upload_bench.sh build
#
# The files go to BENCH_DIR (default: /var/tmp, a real disk; /dev/shm would
# count the body in memory).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build}
size_gb=${SIZE_GB:-10}
runs=${RUNS:-1}
bytes=$((size_gb * 1024 * 1024 * 1024))
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/edgehub-upload-bench.XXXXXX")
WEB_PID='' ng_pid=''
stop_servers_and_clean() {
  [ -z "$WEB_PID" ] || stop_gracefully "$WEB_PID"
  [ -z "$ng_pid" ] || stop_gracefully "$ng_pid"
  rm -rf "$work"
}
trap stop_servers_and_clean EXIT
build_targets "$build" edgehubd
bash scripts/install-deps.sh nginx
mkdir -p "$work/www"
chmod 755 "$work"
hd_port=$(free_port)
start_web_edgehubd "$build" "$work/hubd" "$hd_port" --max-file-size "$((size_gb + 1))G" \
  --max-repo-size "$((size_gb + 2))G"
web_login "$work/hubd" "$hd_port" >"$work/hubd/login"
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$work/hubd/login")

ng_port=$(free_port)
# WebDAV PUT on the same root; no body size limit.
write_nginx_conf "$work/nginx" "127.0.0.1:$ng_port" "$work/www" "dav_methods PUT; client_max_body_size 0; "
chmod 777 "$work/www"  # nginx's worker (nobody) writes the uploads there
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
ng_pid=$!
wait_for_tcp "$ng_port" "$ng_pid" 100
ng_worker() { pgrep -P "$(cat "$work/nginx/nginx.pid")" | head -1; }

hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# upload NAME URL PID [CURL ARGS...]: one timed PUT; prints "hwm_before hwm_after MiB/s".
upload() {
  local url=$1 pid=$2
  shift 2
  local before after speed
  before=$(hwm_kib "$pid")
  speed=$(head -c "$bytes" /dev/zero |
    curl -sf -o /dev/null -w "%{speed_upload}" -T - -H "Content-Length: $bytes" -H "Transfer-Encoding:" "$@" "$url" |
    awk '{ printf "%.0f", $1 / 1048576 }')
  after=$(hwm_kib "$pid")
  echo "$before $after $speed"
}

echo "body: $size_gb GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$runs"); do
  read -r b a s <<<"$(upload "http://127.0.0.1:$hd_port/api/v1/files/big$run.bin" "$WEB_PID" \
    -b "$work/hubd/cookies" -H "X-CSRF-Token: $csrf")"
  [[ $(stat -c %s "$work/hubd/data/files/big$run.bin") == "$bytes" ]] || { echo "edgehubd stored a different size" >&2; exit 1; }
  echo "run $run edgehubd: VmHWM $b KiB -> $a KiB (+$((a - b)) KiB), $s MiB/s"
  rm -f "$work/hubd/data/files/big$run.bin"
  worker=$(ng_worker)
  read -r b a s <<<"$(upload "http://127.0.0.1:$ng_port/big$run.bin" "$worker")"
  [[ $(stat -c %s "$work/www/big$run.bin") == "$bytes" ]] || { echo "nginx stored a different size" >&2; exit 1; }
  echo "run $run nginx (worker): VmHWM $b KiB -> $a KiB (+$((a - b)) KiB), $s MiB/s"
  rm -f "$work/www/big$run.bin"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
