#!/usr/bin/env bash
# File repository benchmark (docs/BENCHMARKS.md, "File repository"): `get`
# of one file over loopback with edgehub (plaintext with --plain, and over
# TLS), raw TCP (socat) and nginx + curl, interleaved in the same run, plus
# server CPU seconds per GiB and peak RSS.
#
#   bench/files_bench.sh [BUILD_DIR]            (default: build)
#   SIZE_MB=1024 RUNS=7 BENCH_DIR=/dev/shm bench/files_bench.sh build
#   ONLY=tls bench/files_bench.sh build   (edgehub over TLS against --plain only: docs/BENCHMARKS.md#tls)
#   LINK=1gbit SIZE_MB=256 bench/files_bench.sh build
#
# Files live under BENCH_DIR (default /dev/shm, a tmpfs, so that the disk
# does not dominate what is a network comparison; BENCH_DIR=/tmp measures
# with the disk). socat and nginx are Debian packages, installed if missing.
# With LINK=RATE (a tc rate: 1gbit, 2500mbit, ...) the servers run in a
# network namespace of their own behind a veth pair whose sending side is
# limited to RATE by tbf: a real link instead of loopback (needs root).
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # write_nginx_conf

build=${1:-build}
size_mb=${SIZE_MB:-1024}
runs=${RUNS:-7}
base=${BENCH_DIR:-/dev/shm}
link=${LINK:-}
bin=$(cd "$build/src/app" && pwd)
work=$(mktemp -d "$base/edgehub-files-bench.XXXXXX")
chmod 755 "$work"
pids=()
netns=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  if [[ -n $netns ]]; then ip netns delete "$netns" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Where the servers run: loopback, or a namespace behind a rate-limited
# link (both directions limited). "${server_ns[@]}" CMD runs CMD there, exec'd (no subshell), so $!
# of a background one is CMD's own pid.
addr=127.0.0.1
server_ns=()
over=loopback
if [[ -n $link ]]; then
  netns=ehbench$$
  ip netns add "$netns"
  ip link add "${netns}h" type veth peer name "${netns}s"
  ip link set "${netns}s" netns "$netns"
  ip addr add 10.203.0.2/24 dev "${netns}h"
  ip link set "${netns}h" up
  ip netns exec "$netns" ip addr add 10.203.0.1/24 dev "${netns}s"
  ip netns exec "$netns" ip link set "${netns}s" up
  ip netns exec "$netns" ip link set lo up
  ip netns exec "$netns" tc qdisc add dev "${netns}s" root tbf rate "$link" burst 1mb latency 50ms
  tc qdisc add dev "${netns}h" root tbf rate "$link" burst 1mb latency 50ms
  addr=10.203.0.1
  server_ns=(ip netns exec "$netns")
  over="a $link veth link (tbf)"
fi

need() {  # command, Debian package
  command -v "$1" >/dev/null && return
  echo "$1 missing: installing the Debian package $2" >&2
  apt-get install -y "$2" >/dev/null || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}
need socat socat
need nginx nginx
need curl curl

free_port() { "${server_ns[@]}" python3 -c "import socket; s=socket.socket(); s.bind(('$addr',0)); print(s.getsockname()[1])"; }
clk_tck=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$clk_tck" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }  # utime + stime
peak_rss_mib() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
now() { date +%s.%N; }
mibps() { awk -v s="$size_mb" -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", s / (b - a) }'; }

mkdir -p "$work/repo" "$work/dl" "$work/src"
file=$work/repo/big.bin
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== $size_mb MiB file in $base ($(df -T "$base" | awk 'NR==2{print $2}')), $runs runs of each, interleaved, over $over"
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/src/big.bin"
chmod 644 "$work/src/big.bin"

# --- edgehubd, with the file uploaded through the client (times put too)
printf 'bench benchpw\n' >"$work/credentials.txt"
eh_port=$(free_port)
"${server_ns[@]}" "$bin/edgehubd" --bind "$addr" --port "$eh_port" --http-port 0 --data-dir "$work/data" --files "$work/repo" --credentials "$work/credentials.txt" \
  --argon2-ops 1 --argon2-mem-kib 64 --log-level warn >"$work/edgehubd.out" 2>"$work/edgehubd.err" &
eh_pid=$!
pids+=("$eh_pid")
for _ in $(seq 100); do grep -q listening "$work/edgehubd.out" 2>/dev/null && break; sleep 0.05; done
# The server's own certificate, given to the client: no known_hosts is read or written.
fingerprint=$("$bin/edgehubd" fingerprint --data-dir "$work/data")
client() { EDGEHUB_PASSWORD=benchpw "$bin/edgehub" --fingerprint "$fingerprint" --user bench "$addr" "$eh_port"; }
cd "$work/dl"
t0=$(now)
echo "put $work/src/big.bin" | client >"$work/put.out"
t1=$(now)
grep -q "Stored 'big.bin'" "$work/put.out" || { cat "$work/put.out"; exit 1; }
echo "edgehub put: $(mibps "$t0" "$t1") MiB/s (client hashes the file first, server verifies, fsyncs, renames)"

# --- nginx serving the same directory, sendfile on
ng_port=$(free_port)
write_nginx_conf "$work/nginx" "$addr:$ng_port" "$work/repo"
"${server_ns[@]}" nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=("$!")
for _ in $(seq 100); do curl -sf -o /dev/null "http://$addr:$ng_port/big.bin" -r 0-0 && break; sleep 0.05; done
ng_worker=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | head -1)

# Each run prints: NAME MiB/s SERVER_CPU CLIENT_CPU (CPU seconds per GiB,
# user + sys; on a shared machine CPU time is the steadier comparison).
per_gib() { awk -v c="$1" -v s="$size_mb" 'BEGIN { printf "%.3f", c * 1024 / s }'; }
timed() {  # OUT_FILE COMMAND...: runs it, CPU seconds of it and its children into OUT_FILE
  local out=$1; shift
  /usr/bin/time -f "%U %S" -o "$out" "$@"
}
cpu_of() { awk '{ printf "%.3f", $1 + $2 }' "$1"; }

run_edgehub() {  # NAME CLIENT-OPTION...: edgehub --plain, or over TLS
  local name=$1; shift
  rm -f "$work/dl/big.bin"
  local c0 t0 t1 c1
  c0=$(cpu_seconds "$eh_pid"); t0=$(now)
  echo "get big.bin" | timed "$work/client.time" env EDGEHUB_PASSWORD=benchpw "$bin/edgehub" "$@" --user bench "$addr" "$eh_port" >"$work/get.out"
  t1=$(now); c1=$(cpu_seconds "$eh_pid")
  grep -q "Downloaded big.bin" "$work/get.out" || { cat "$work/get.out"; exit 1; }
  echo "$name $(mibps "$t0" "$t1") $(per_gib "$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')") $(per_gib "$(cpu_of "$work/client.time")")"
}
# Raw TCP: socat sends the file (read + write, 1 MiB buffer); the receiver
# is given as a shell command.
run_raw() {  # NAME RECEIVER-COMMAND
  local port t0 t1 sender
  port=$(free_port)
  "${server_ns[@]}" /usr/bin/time -f "%U %S" -o "$work/sender.time" socat -b 1048576 -u "FILE:$file" "TCP-LISTEN:$port,bind=$addr,reuseaddr" &
  sender=$!
  for _ in $(seq 100); do "${server_ns[@]}" ss -ltn | grep -q ":$port " && break; sleep 0.01; done
  t0=$(now)
  timed "$work/receiver.time" bash -c "${2//PORT/$port}"
  t1=$(now)
  wait "$sender"
  echo "$1 $(mibps "$t0" "$t1") $(per_gib "$(cpu_of "$work/sender.time")") $(per_gib "$(cpu_of "$work/receiver.time")")"
}
run_socat() { rm -f "$work/dl/raw.bin"; run_raw socat "socat -b 1048576 -u TCP:$addr:PORT CREATE:$work/dl/raw.bin"; }
# Raw TCP plus the integrity check edgehub does (OpenSSL's SHA-256, as edgehub's).
run_socat_sha() {
  rm -f "$work/dl/raw.bin"
  run_raw socat+sha256 "socat -b 1048576 -u TCP:$addr:PORT STDOUT | tee $work/dl/raw.bin | openssl dgst -sha256 >/dev/null"
}
run_nginx() {
  rm -f "$work/dl/nginx.bin"
  local c0 t0 t1 c1
  c0=$(cpu_seconds "$ng_worker"); t0=$(now)
  timed "$work/curl.time" curl -sf -o "$work/dl/nginx.bin" "http://$addr:$ng_port/big.bin"
  t1=$(now); c1=$(cpu_seconds "$ng_worker")
  echo "nginx+curl $(mibps "$t0" "$t1") $(per_gib "$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')") $(per_gib "$(cpu_of "$work/curl.time")")"
}

# curl, then the same integrity check, as a user of nginx would verify.
run_nginx_sha() {
  rm -f "$work/dl/nginx.bin"
  local c0 t0 t1 c1
  c0=$(cpu_seconds "$ng_worker"); t0=$(now)
  timed "$work/curl.time" bash -c "curl -sf -o $work/dl/nginx.bin http://$addr:$ng_port/big.bin && sha256sum $work/dl/nginx.bin >/dev/null"
  t1=$(now); c1=$(cpu_seconds "$ng_worker")
  echo "nginx+curl+sha256sum $(mibps "$t0" "$t1") $(per_gib "$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')") $(per_gib "$(cpu_of "$work/curl.time")")"
}

results=$work/results.txt
# Plaintext is served to loopback only (docs/SECURITY.md#tls): not over LINK.
contenders=(edgehub-tls)
[[ -z $link ]] && contenders=(edgehub "${contenders[@]}")
[[ ${ONLY:-} == tls ]] || contenders+=(socat socat+sha256 nginx+curl nginx+curl+sha256sum)
run_one() {
  case $1 in
    edgehub) run_edgehub edgehub --plain ;;
    edgehub-tls) run_edgehub edgehub-tls --fingerprint "$fingerprint" ;;
    socat) run_socat ;;
    socat+sha256) run_socat_sha ;;
    nginx+curl) run_nginx ;;
    nginx+curl+sha256sum) run_nginx_sha ;;
  esac
}
for i in $(seq "$runs"); do
  for what in "${contenders[@]}"; do run_one "$what" >>"$results"; done
done
cmp -s "$work/dl/big.bin" "$work/src/big.bin" || { echo "edgehub copy differs" >&2; exit 1; }
[[ ${ONLY:-} == tls ]] || cmp -s "$work/dl/nginx.bin" "$work/src/big.bin" || { echo "nginx copy differs" >&2; exit 1; }

echo
echo "| get of $size_mb MiB over $over | median MiB/s | best | runs (MiB/s) | server CPU s/GiB | client CPU s/GiB |"
echo "|---|---|---|---|---|---|"
median() {  # [PRINTF-FORMAT]
  sort -n | awk -v f="${1:-%.0f}" '{ v[NR] = $1 } END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for what in "${contenders[@]}"; do
  rates=$(awk -v w="$what" '$1 == w { print $2 }' "$results" | sort -n | paste -sd, | sed 's/,/, /g')
  printf "| %s | %s | %s | %s | %s | %s |\n" "$what" \
    "$(awk -v w="$what" '$1 == w { print $2 }' "$results" | median)" "${rates##*, }" "$rates" \
    "$(awk -v w="$what" '$1 == w { print $3 }' "$results" | median %.2f)" \
    "$(awk -v w="$what" '$1 == w { print $4 }' "$results" | median %.2f)"
done
echo
[[ ${ONLY:-} == tls ]] && { echo "edgehubd peak RSS: $(peak_rss_mib "$eh_pid") MiB"; exit 0; }
echo "edgehubd peak RSS: $(peak_rss_mib "$eh_pid") MiB; nginx worker peak RSS: $(peak_rss_mib "$ng_worker") MiB"

# The ceiling of any client that verifies SHA-256 on this machine, from
# figures of this run: it must hash every byte on one core (SHA-256 of one
# stream does not split across cores) and, besides, receive and write every
# byte (at least what socat's least-disturbed receive cost) while the server
# sends it; all of that shares $(nproc) cores.
min_of() { awk -v w="$1" -v f="$2" '$1 == w { if (m == "" || $f < m) m = $f } END { print m }' "$results"; }
sha_s_per_gib=$(openssl speed -evp sha256 -bytes 1048576 -seconds 2 2>/dev/null |
  awk '/^sha256/ { sub(/k$/, "", $2); printf "%.3f", 1073741824 / ($2 * 1000) }')
awk -v sha="$sha_s_per_gib" -v recv="$(min_of socat 4)" -v send="$(min_of edgehub 3)" -v cores="$(nproc)" \
  -v best="$(awk '$1 == "socat" { print $2 }' "$results" | sort -n | tail -1)" 'BEGIN {
  wall = (sha + recv + send) / cores; if (wall < sha) wall = sha
  printf "ceiling of a SHA-256-verifying client here: SHA-256 %.2f s/GiB on one core (openssl speed) + receive/write %.2f (socat, least) + send %.2f (edgehubd, least) on %d cores >= %.2f s/GiB = %.0f MiB/s; 95 %% of socat'"'"'s best run: %.0f MiB/s\n", sha, recv, send, cores, wall, 1024 / wall, 0.95 * best
}'
