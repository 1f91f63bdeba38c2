#!/usr/bin/env bash
# UDP transport benchmark (docs/UDP.md, docs/BENCHMARKS.md "UDP transport").
# In one run, moving the same file:
#   clean loopback: EHT (udp_send) vs TCP (socat) vs TFTP (atftp, blksize
#     1428, windowsize 16);
#   through udp_relay at 100 Mbit/s, 20 ms RTT, 1 % loss: EHT goodput as a
#     fraction of the link rate, EHT's stop-and-wait mode, and atftp through
#     the same relay (--learn-reply-port: a TFTP server answers from a new port);
#   CPU seconds of sender and receiver for each.
# Every loopback measurement runs UDP_BENCH_RUNS times, interleaved, and the
# median is reported. Then the 1 GiB transfer through the relay with 5 % loss,
# 2 % duplication, reordering and corruption of
# tests/integration/test_udp_transport.py (UDP_BENCH_LONG=0 skips it; the
# test suite itself runs that case with 24 MiB).
# Usage: bench/udp_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(cd "${1:-build}" && pwd)
B=$BUILD/bench
MB=${UDP_BENCH_MB:-200}            # loopback file
RELAY_MB=${UDP_BENCH_RELAY_MB:-100} # EHT through the relay
SAW_MB=${UDP_BENCH_SAW_MB:-1}       # stop-and-wait through the relay (slow by design)
TFTP_RELAY_MB=${UDP_BENCH_TFTP_RELAY_MB:-4}
RUNS=${UDP_BENCH_RUNS:-3}
RELAY_ARGS=(--rate-mbit 100 --delay-ms 10 --loss 0.01 --seed 1)
W=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get install -y "$2" >/dev/null 2>&1 || { echo "cannot install $2" >&2; exit 1; }; }; }
need socat socat
need atftp atftp
need atftpd atftpd

BASE=$((30000 + RANDOM % 20000))
port() { echo $((BASE + $1)); }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# CPU seconds (user + system) a live process has used so far.
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# Waits (bounded) until a line matching $2 appears in file $1.
wait_line() { for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "no '$2' in $1" >&2; return 1; }

mkdir -p "$W/rx" "$W/tftp"
chmod 755 "$W" "$W/tftp"  # atftpd serves files as user nobody
head -c $((MB * 1048576)) /dev/urandom > "$W/f.bin"
head -c $((RELAY_MB * 1048576)) "$W/f.bin" > "$W/relay.bin"
head -c $((SAW_MB * 1048576)) "$W/f.bin" > "$W/saw.bin"
cp "$W/f.bin" "$W/tftp/f.bin"
head -c $((TFTP_RELAY_MB * 1048576)) "$W/f.bin" > "$W/tftp/relay.bin"

# EHT: one transfer to a fresh receiver. Prints "seconds sender_cpu receiver_cpu".
eht() {  # eht FILE TARGET_PORT RECEIVER_PORT [sender args...]
  local file=$1 to=$2 rxport=$3
  shift 3
  "$B/udp_send" --listen "$rxport" --dir "$W/rx" --accept-ticket t --count 1 > "$W/rx.log" &
  local rx=$!
  wait_line "$W/rx.log" "^listening"
  "$B/udp_send" --to "127.0.0.1:$to" --file "$file" --ticket t "$@" > "$W/tx.log"
  wait "$rx"
  cmp -s "$file" "$W/rx/peer_$(basename "$file")" || { echo "EHT: received file differs" >&2; exit 1; }
  rm -f "$W"/rx/*
  local secs txcpu rxcpu
  secs=$(sed -n 's/^sent [0-9]* bytes in \([0-9.]*\) s.*/\1/p' "$W/tx.log")
  txcpu=$(sed -n 's/^cpu: user \([0-9.]*\) s, sys \([0-9.]*\) s.*/\1 \2/p' "$W/tx.log" | awk '{ print $1 + $2 }')
  rxcpu=$(sed -n 's/^cpu: user \([0-9.]*\) s, sys \([0-9.]*\) s.*/\1 \2/p' "$W/rx.log" | awk '{ print $1 + $2 }')
  echo "$secs $txcpu $rxcpu"
}

tcp() {  # the same file over TCP on loopback with socat
  /usr/bin/time -f "%U %S" -o "$W/tcprx.time" socat -u TCP-LISTEN:"$(port 10)",reuseaddr OPEN:"$W/tcp.out",creat,trunc &
  local rx=$!
  sleep 0.2
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$W/tcp.time" socat -u OPEN:"$W/f.bin" TCP:127.0.0.1:"$(port 10)"
  wait "$rx"
  t1=$(now)
  cmp -s "$W/f.bin" "$W/tcp.out" || { echo "TCP: file differs" >&2; exit 1; }
  echo "$(calc %.3f "$t1 - $t0") $(awk '{ print $1 + $2 }' "$W/tcp.time") $(awk '{ print $1 + $2 }' "$W/tcprx.time")"
}

tftp() {  # tftp PORT REMOTE_NAME: one atftp download from the running atftpd
  local before after t0 t1
  before=$(cpu_of "$ATFTPD")
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$W/tftp.time" \
    atftp --option "blksize 1428" --option "windowsize 16" -g -r "$2" -l "$W/tftp.out" 127.0.0.1 "$1" > /dev/null 2>&1
  t1=$(now)
  after=$(cpu_of "$ATFTPD")
  cmp -s "$W/tftp/$2" "$W/tftp.out" || { echo "TFTP: file differs" >&2; exit 1; }
  rm -f "$W/tftp.out"
  echo "$(calc %.3f "$t1 - $t0") $(calc %.3f "$after - $before") $(awk '{ print $1 + $2 }' "$W/tftp.time")"
}

atftpd --daemon --no-fork --port "$(port 20)" --bind-address 127.0.0.1 --logfile /dev/null "$W/tftp" &
ATFTPD=$!
PIDS+=("$ATFTPD")
sleep 0.3

echo "== clean loopback, $MB MiB, $RUNS runs each (median); CPU seconds sender/receiver"
: > "$W/eht.txt"; : > "$W/tcp.txt"; : > "$W/tftp.txt"
for i in $(seq 1 "$RUNS"); do
  eht "$W/f.bin" "$(port 1)" "$(port 1)" >> "$W/eht.txt"
  tcp >> "$W/tcp.txt"
  tftp "$(port 20)" f.bin >> "$W/tftp.txt"
done
summary() {  # summary NAME FILE MIB
  local s tx rx
  s=$(awk '{ print $1 }' "$2" | median); tx=$(awk '{ print $2 }' "$2" | median); rx=$(awk '{ print $3 }' "$2" | median)
  printf "%-26s %8.1f MB/s  (%s s; runs: %s)  cpu sender %s s, receiver %s s\n" "$1" \
    "$(calc %.1f "$3 * 1.048576 / $s")" "$s" "$(awk '{ printf "%s ", $1 }' "$2")" "$tx" "$rx"
}
summary "EHT (udp_send)" "$W/eht.txt" "$MB"
summary "TCP (socat)" "$W/tcp.txt" "$MB"
summary "TFTP (atftp 1428/16)" "$W/tftp.txt" "$MB"

echo "== through udp_relay: 100 Mbit/s, 20 ms RTT, 1% loss"
"$B/udp_relay" --listen "$(port 2)" --to "127.0.0.1:$(port 1)" "${RELAY_ARGS[@]}" > /dev/null &
PIDS+=("$!")
"$B/udp_relay" --listen "$(port 21)" --to "127.0.0.1:$(port 20)" "${RELAY_ARGS[@]}" --learn-reply-port > /dev/null &
PIDS+=("$!")
sleep 0.3
read -r s tx rx < <(eht "$W/relay.bin" "$(port 2)" "$(port 1)")
EHT_RELAY=$(calc %.2f "$RELAY_MB * 1.048576 / $s")
printf "%-26s %8.2f MB/s = %.1f Mbit/s = %.0f%% of the link  (%s MiB in %s s)  cpu sender %s s, receiver %s s\n" \
  "EHT windowed" "$EHT_RELAY" "$(calc %.1f "$EHT_RELAY * 8")" "$(calc %.0f "$EHT_RELAY * 8")" "$RELAY_MB" "$s" "$tx" "$rx"
read -r s tx rx < <(eht "$W/saw.bin" "$(port 2)" "$(port 1)" --stop-and-wait)
SAW=$(calc %.4f "$SAW_MB * 1.048576 / $s")
printf "%-26s %8.3f MB/s  (%s MiB in %s s); windowed is %.0fx faster\n" "EHT stop-and-wait" "$SAW" "$SAW_MB" "$s" \
  "$(calc %.0f "$EHT_RELAY / $SAW")"
read -r s srv cli < <(tftp "$(port 21)" relay.bin)
TFTP_RELAY=$(calc %.4f "$TFTP_RELAY_MB * 1.048576 / $s")
printf "%-26s %8.3f MB/s = %.1f%% of the link  (%s MiB in %s s); EHT is %.0fx faster\n" "TFTP (atftp 1428/16)" \
  "$TFTP_RELAY" "$(calc %.2f "$TFTP_RELAY * 8")" "$TFTP_RELAY_MB" "$s" "$(calc %.0f "$EHT_RELAY / $TFTP_RELAY")"

if [ "${UDP_BENCH_LONG:-1}" = 1 ]; then
  echo "== 1 GiB through the relay with 5% loss, 2% duplication, reordering, 0.1% corruption, 20 ms delay"
  t0=$(now)
  (cd tests/integration && EDGEHUB_UDP_TEST_MB=1024 EDGEHUB_BIN_DIR="$BUILD/src/app" \
    python3 -m unittest test_udp_transport.UdpTransportTest.test_lossy_path_delivers_identical_file)
  echo "1 GiB lossy test passed in $(calc %.0f "$(now) - $t0") s"
fi
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
