#!/usr/bin/env bash
# UDP transport benchmark (docs/UDP.md): goodput of EHT on clean loopback vs
# TCP (socat) and atftp, and through udp_relay at 100 Mbit/s, 20 ms RTT, 1 %
# loss vs our stop-and-wait mode and atftp. Usage: bench/udp_bench.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build}
B=$BUILD/bench
MB=${UDP_BENCH_MB:-200}
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
need() { command -v "$1" >/dev/null || apt-get install -y "$2" >/dev/null; }
need socat socat; need atftp atftp; need atftpd atftpd
head -c $((MB * 1048576)) /dev/urandom > "$W/f.bin"
mkdir -p "$W/rx" "$W/tftp"
eht() {  # eht PORT_TO [extra sender args...]
  "$B/udp_send" --listen 46001 --dir "$W/rx" --accept-ticket t --count 1 > "$W/rx.log" &
  sleep 0.2
  "$B/udp_send" --to "127.0.0.1:$1" --file "${FILE:-$W/f.bin}" --ticket t "${@:2}" | grep -E "^sent|^cpu"
  wait %1 || true; grep -E "^cpu" "$W/rx.log" | sed 's/^/receiver /'; rm -f "$W/rx"/*
}
echo "== EHT clean loopback ($MB MiB)"; eht 46001
echo "== TCP socat clean loopback"
socat -u TCP-LISTEN:46010,reuseaddr OPEN:"$W/tcp.out",creat,trunc & sleep 0.2
/usr/bin/time -f "tcp: %e s" socat -u OPEN:"$W/f.bin" TCP:127.0.0.1:46010; wait %1 || true
echo "== atftp blksize 1428 windowsize 16 clean loopback"
cp "$W/f.bin" "$W/tftp/f.bin"
atftpd --daemon --no-fork --port 46020 --bind-address 127.0.0.1 "$W/tftp" & sleep 0.3
/usr/bin/time -f "atftp: %e s" atftp --option "blksize 1428" --option "windowsize 16" -g -r f.bin -l "$W/t.out" 127.0.0.1 46020
"$B/udp_relay" --listen 46002 --to 127.0.0.1:46001 --rate-mbit 100 --delay-ms 10 --loss 0.01 --seed 1 > /dev/null &
sleep 0.2
echo "== EHT through relay 100 Mbit/s, 20 ms RTT, 1% loss"; eht 46002
head -c 1000000 "$W/f.bin" > "$W/s.bin"
echo "== EHT stop-and-wait through the same relay (1 MB)"; FILE=$W/s.bin eht 46002 --stop-and-wait
"$B/udp_relay" --listen 46021 --to 127.0.0.1:46020 --rate-mbit 100 --delay-ms 10 --loss 0.01 --seed 1 > /dev/null &
sleep 0.2
echo "== atftp through the same relay (20 MB)"
head -c 20000000 "$W/f.bin" > "$W/tftp/s.bin"
/usr/bin/time -f "atftp relay: %e s for 20 MB" atftp --option "blksize 1428" --option "windowsize 16" -g -r s.bin -l "$W/t2.out" 127.0.0.1 46021 || true
