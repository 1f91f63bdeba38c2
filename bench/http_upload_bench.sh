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
hd_pid='' ng_pid=''
stop_servers_and_clean() {
  [ -z "$hd_pid" ] || stop_gracefully "$hd_pid"
  [ -z "$ng_pid" ] || stop_gracefully "$ng_pid"
  rm -rf "$work"
}
trap stop_servers_and_clean EXIT
build_targets "$build" edgehubd
command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
mkdir -p "$work/hubd/data" "$work/www"
chmod 755 "$work"
echo "bench bench-password" >"$work/hubd/credentials.txt"
hd_port=$(free_port)
"$build/src/app/edgehubd" --port 0 --http-port "$hd_port" --data-dir "$work/hubd/data" \
  --max-file-size "$((size_gb + 1))G" --max-repo-size "$((size_gb + 2))G" \
  --credentials "$work/hubd/credentials.txt" --argon2-ops 1 --argon2-mem-kib 64 >"$work/hubd/out" 2>"$work/hubd/err" &
hd_pid=$!
listening_port "$hd_pid" "$work/hubd" 100 >/dev/null
for _ in $(seq 100); do grep -q "http listening on" "$work/hubd/out" && break; sleep 0.1; done
curl -sf -c "$work/hubd/cookies" -H 'Content-Type: application/json' \
  -d '{"name":"bench","password":"bench-password"}' "http://127.0.0.1:$hd_port/api/v1/login" >"$work/hubd/login"
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$work/hubd/login")

ng_port=$(free_port)
write_nginx_conf "$work/nginx" "127.0.0.1:$ng_port" "$work/www"
# WebDAV PUT on the same root; no body size limit.
sed -i 's|server { listen \(.*\); root \(.*\); }|server { listen \1; root \2; dav_methods PUT; client_max_body_size 0; }|' \
  "$work/nginx/nginx.conf"
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
  read -r b a s <<<"$(upload "http://127.0.0.1:$hd_port/api/v1/files/big$run.bin" "$hd_pid" \
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
