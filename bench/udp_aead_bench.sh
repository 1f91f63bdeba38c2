#!/usr/bin/env bash
# Encrypted EHT against unencrypted (docs/UDP.md#14-end-to-end-encryption,
# docs/BENCHMARKS.md "End-to-end encrypted UDP"): the same file over clean
# loopback with udp_send, sealed (AES-256-GCM here) and with --no-aead on
# both sides (version 1 + CRC32C, kept for this comparison only), RUNS
# times each, interleaved (the order alternates per run), in one run of
# this script. Prints every run, then median and best goodput and CPU
# seconds per side, and encrypted/plain.
# UDP_AEAD_CHUNK sets the sender's --chunk (payload bytes per datagram,
# default the transport's 1412) for both modes: how the ratio moves with
# larger datagrams, which loopback (MTU 65536) would carry.
# Usage: bench/udp_aead_bench.sh [BUILD_DIR]   (UDP_AEAD_MB=256 UDP_AEAD_RUNS=5 UDP_AEAD_CHUNK=1412)
set -euo pipefail
cd "$(dirname "$0")/.."
B=$(cd "${1:-build}" && pwd)/bench
MB=${UDP_AEAD_MB:-256}
RUNS=${UDP_AEAD_RUNS:-5}
CHUNK=${UDP_AEAD_CHUNK:-1412}
W=$(mktemp -d /dev/shm/udp-aead.XXXXXX)
trap 'rm -rf "$W"' EXIT
head -c $((MB * 1048576)) /dev/urandom > "$W/f.bin"

# one MODE: prints "MB/s sender_cpu receiver_cpu"
one() {
  local flag=() ; [ "$1" = plain ] && flag=(--no-aead)
  rm -rf "$W/rx" && mkdir "$W/rx"
  "$B/udp_send" --listen 0 --dir "$W/rx" --accept-ticket t --count 1 "${flag[@]}" > "$W/rx.log" &
  local rx=$!
  for _ in $(seq 1 1200); do grep -q "listening on" "$W/rx.log" && break; sleep 0.05; done
  local port; port=$(grep -o 'listening on [^ ]*' "$W/rx.log" | sed 's/.*://')
  "$B/udp_send" --to "127.0.0.1:$port" --file "$W/f.bin" --ticket t --chunk "$CHUNK" "${flag[@]}" > "$W/tx.log"
  wait "$rx"
  cmp -s "$W/f.bin" "$W/rx/peer_f.bin" || { echo "$1: file differs" >&2; exit 1; }
  local rate tx_cpu rx_cpu
  rate=$(grep -o '[0-9.]* MB/s' "$W/tx.log" | head -1 | cut -d' ' -f1)
  tx_cpu=$(awk '/^cpu:/ { print $3 + $6 }' "$W/tx.log")
  rx_cpu=$(awk '/^cpu:/ { print $3 + $6 }' "$W/rx.log" | tail -1)
  echo "$rate $tx_cpu $rx_cpu"
}

echo "udp_aead_bench: $MB MiB over loopback, $CHUNK-byte chunks, $RUNS runs each, interleaved; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$W/aead" ; : > "$W/plain"
for r in $(seq 1 "$RUNS"); do
  if [ $((r % 2)) -eq 1 ]; then order="aead plain"; else order="plain aead"; fi
  for m in $order; do
    res=$(one "$m"); echo "$res" >> "$W/$m"
    echo "run $r $m: $res (MB/s, sender cpu s, receiver cpu s)"
  done
done
stats() { sort -g | awk '{ a[NR] = $1 } END { printf "median %s best %s all", a[int((NR + 1) / 2)], a[NR] }'; }
for m in aead plain; do
  echo "$m: goodput $(cut -d' ' -f1 "$W/$m" | stats) $(cut -d' ' -f1 "$W/$m" | tr '\n' ' ')MB/s;" \
       "sender cpu median $(cut -d' ' -f2 "$W/$m" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') s;" \
       "receiver cpu median $(cut -d' ' -f3 "$W/$m" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') s"
done
med() { cut -d' ' -f1 "$W/$1" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
awk -v a="$(med aead)" -v p="$(med plain)" 'BEGIN { printf "encrypted / plain (medians): %.1f %%\n", 100 * a / p }'
