#!/usr/bin/env bash
# Messaging benchmark (issue 3; results in docs/BENCHMARKS.md, "Messaging"),
# edgehubd and Mosquitto side by side in the same run:
#   1. routed direct messages/s between PAIRS pairs of online clients
#      (each sender keeps WINDOW messages in flight; MQTT: QoS 1);
#   2. latency p50/p99 at half of edgehubd's rate of phase 1, the same
#      absolute rate for both servers (paced senders);
#   3. broadcast deliveries/s to RECEIVERS clients (in 2 load processes);
#   4. durable offline messages stored/s (SENDERS senders, group commit),
#      edgehubd only: Mosquitto's persistence is a periodic snapshot, not an
#      fsync per message, so it makes no comparable promise.
#
#   bash bench/msg_bench.sh [BUILD_DIR]          (default: build-bench)
#
# Environment: PAIRS (200), WINDOW (16), SECONDS_PER_RUN (10), RECEIVERS (10000),
# BROADCASTS (50), SENDERS (200), OFFLINE (40000), MOSQUITTO (1; 0 = edgehubd
# only). Each run gets a fresh server: edgehubd --guest --no-presence (no
# logins, no presence fan-out) or mosquitto 2.0.11 (anonymous, no
# persistence, no connection limit; broadcast also once with
# allow_duplicate_messages true). Servers and load runs are bounded by
# `timeout`, and every server is stopped by PID after its run and on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
pairs=${PAIRS:-200}
window=${WINDOW:-16}
seconds=${SECONDS_PER_RUN:-10}
receivers=${RECEIVERS:-10000}
broadcasts=${BROADCASTS:-50}
senders=${SENDERS:-200}
offline=${OFFLINE:-40000}
with_mosquitto=${MOSQUITTO:-1}

targets=(edgehubd msg_load)
. bench/lib.sh
build_targets "$build" "${targets[@]}"
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/msg_load
if [ "$with_mosquitto" = 1 ]; then bash scripts/install-deps.sh mosquitto; fi

. bench/msg_servers.sh

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "$with_mosquitto" = 1 ]; then echo "mosquitto: $(mosquitto -h 2>&1 | sed -n 's/^mosquitto version //p')"; fi

note "1. routed direct messages, $pairs pairs, window $window, ${seconds}s"
direct=(--mode direct --pairs "$pairs" --window "$window" --seconds "$seconds")
run edgehubd direct "${direct[@]}"
run mosquitto direct "${direct[@]}"
max=$(value direct-edgehubd delivered_per_s)

half=$(( ${max%.*} / 2 ))
note "2. latency at half of edgehubd's rate: $half messages/s for both (mosquitto first)"
run mosquitto latency --mode direct --pairs "$pairs" --rate "$half" --seconds "$seconds"
run edgehubd latency --mode direct --pairs "$pairs" --rate "$half" --seconds "$seconds"

note "3. broadcast to $receivers clients, $broadcasts broadcasts"
broadcast=(--mode broadcast --receivers "$receivers" --procs 2 --count "$broadcasts" --window 4)
# All receivers connect from 127.0.0.1: edgehubd's per-address cap (10,000
# by default, docs/SECURITY.md#abuse-limits) would refuse the last ones, and
# Mosquitto has none.
server_args=(--max-per-address 0)
run edgehubd broadcast "${broadcast[@]}"
server_args=()
run mosquitto broadcast "${broadcast[@]}"
# Mosquitto 2.0.11 still defaults to allow_duplicate_messages false for
# MQTT 3.1.1 clients: each delivery compares the client id with every id the
# message went to before (quadratic in the subscribers). Its manual
# recommends true for many clients on the same topics.
run mosquitto-allowdup broadcast "${broadcast[@]}"

note "4. durable offline messages (edgehubd only): $senders senders, $offline messages to 1000 offline accounts"
"$load_bin" --write-credentials "$work/creds.txt" --recipients 1000
server_args=(--credentials "$work/creds.txt")
run edgehubd offline --mode offline --senders "$senders" --recipients 1000 --count "$offline"

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| measure | edgehubd | mosquitto |"
echo "|---|---:|---:|"
row() { echo "| $1 | $(value "$2-edgehubd" "$3") | $(value "$2-mosquitto" "$3") |"; }
row "direct messages/s (window $window)" direct delivered_per_s
row "direct: server CPU µs per message" direct server_cpu_us_per_msg
row "latency at $half/s: p50 µs" latency p50_us
row "latency at $half/s: p99 µs" latency p99_us
row "latency at $half/s: messages/s received" latency delivered_per_s
row "latency: server CPU µs per message" latency server_cpu_us_per_msg
row "latency: load tool (one thread) CPU µs per message" latency client_cpu_us_per_msg
row "broadcast deliveries/s ($receivers receivers)" broadcast deliveries_per_s
row "broadcast: server CPU µs per delivery" broadcast server_cpu_us_per_delivery
echo "| broadcast deliveries/s, mosquitto allow_duplicate_messages true | | $(value broadcast-mosquitto-allowdup deliveries_per_s) |"
echo "| the same: server CPU µs per delivery | | $(value broadcast-mosquitto-allowdup server_cpu_us_per_delivery) |"
row "offline messages stored/s" offline stored_per_s
row "offline: server CPU µs per message" offline server_cpu_us_per_msg
