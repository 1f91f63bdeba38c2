#!/usr/bin/env bash
# HTTP download benchmark (docs/BENCHMARKS.md#http-download): curl fetches
# one file of SIZE_MB over loopback from edgehubd's HTTP server and from
# nginx (sendfile on), interleaved, RUNS times each; prints every run, the
# median and the best, and the ratio of the medians.
#
#   bench/http_bench.sh [BUILD_DIR]          (default: build)
#   SIZE_MB=1024 RUNS=7 bench/http_bench.sh build
#
# "edgehub" is bench/http_file_server_main.cpp: web::HttpServer as edgehubd
# runs it (one network thread, sendfile in 1 MiB blocks with a yield
# between them), with a public route instead of the API's logged-in one;
# "edgehubd" is the real server, logged in, GET /api/v1/files/big.bin
# (measured when the API answers the login).
# Files live in /dev/shm (BENCH_DIR) so the disk does not dominate.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build}
size_mb=${SIZE_MB:-1024}
runs=${RUNS:-7}
work=$(mktemp -d "${BENCH_DIR:-/dev/shm}/edgehub-http-bench.XXXXXX")
chmod 755 "$work"
pids=()
WEB_PID=''
cleanup() {
  for p in "${pids[@]}" $WEB_PID; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

build_targets "$build" http_file_server
bash scripts/install-deps.sh nginx
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/big.bin"
want=$(sha256sum <"$work/big.bin" | cut -d' ' -f1)

mkdir -p "$work/eh"
"$build/bench/http_file_server" --file "$work/big.bin" >"$work/eh/out" 2>"$work/eh/err" &
pids+=("$!")
for _ in $(seq 100); do grep -q "listening on" "$work/eh/out" && break; sleep 0.1; done
eh_port=$(sed -n 's/^http_file_server listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/eh/out")
[ -n "$eh_port" ] || { cat "$work/eh/err" >&2; exit 1; }

ng_port=$(free_port)
write_nginx_conf "$work/nginx" "127.0.0.1:$ng_port" "$work"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=("$!")
for _ in $(seq 100); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$ng_port/big.bin" && break; sleep 0.05; done

declare -A url=([edgehub]="http://127.0.0.1:$eh_port/big.bin" [nginx]="http://127.0.0.1:$ng_port/big.bin")
contenders=(edgehub nginx)

# edgehubd itself, logged in, GET /api/v1/files/big.bin (docs/HTTP_API.md),
# when its API answers the login.
build_targets "$build" edgehubd
mkdir -p "$work/hubd/data/files"
# A copy, not a hard link: the repository refuses files with more than one
# link, which may share its inode with a file outside it (hub/files/repository.cpp).
cp "$work/big.bin" "$work/hubd/data/files/big.bin"
hd_port=$(free_port)
start_web_edgehubd "$build" "$work/hubd" "$hd_port"
if web_login "$work/hubd" "$hd_port" >/dev/null; then
  url[edgehubd]="http://127.0.0.1:$hd_port/api/v1/files/big.bin"
  contenders+=(edgehubd)
else
  echo "edgehubd: no API login yet (docs/HTTP_API.md); measuring the HTTP server alone"
fi
fetch() { curl -sf -b "$work/hubd/cookies" "$@"; }

# Every copy is checked once, outside the timed runs.
for name in "${contenders[@]}"; do
  got=$(fetch "${url[$name]}" | sha256sum | cut -d' ' -f1)
  [[ $got == "$want" ]] || { echo "$name served a different file" >&2; exit 1; }
done

declare -A all=()
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$runs"); do
  for name in "${contenders[@]}"; do
    mibps=$(fetch -o /dev/null -w '%{speed_download}' "${url[$name]}" | awk '{ printf "%.0f", $1 / 1048576 }')
    all[$name]+="$mibps "
    echo "run $run $name $mibps MiB/s"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
summary() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[int((NR + 1) / 2)], v[NR] }'; }
read -r eh_median eh_best <<<"$(summary "${all[edgehub]}")"
read -r ng_median ng_best <<<"$(summary "${all[nginx]}")"
echo "edgehub: median $eh_median MiB/s, best $eh_best, all: ${all[edgehub]}"
echo "nginx:   median $ng_median MiB/s, best $ng_best, all: ${all[nginx]}"
awk -v a="$eh_median" -v b="$ng_median" 'BEGIN { printf "edgehub/nginx (medians): %.1f %%\n", 100 * a / b }'
if [[ -n ${all[edgehubd]:-} ]]; then
  read -r hd_median hd_best <<<"$(summary "${all[edgehubd]}")"
  echo "edgehubd (logged in): median $hd_median MiB/s, best $hd_best, all: ${all[edgehubd]}"
  awk -v a="$hd_median" -v b="$ng_median" 'BEGIN { printf "edgehubd/nginx (medians): %.1f %%\n", 100 * a / b }'
fi
