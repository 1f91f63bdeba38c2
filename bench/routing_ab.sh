#!/usr/bin/env bash
# Server CPU per routed direct message, several edgehubd builds and
# Mosquitto, interleaved round by round (docs/BENCHMARKS.md#routing-cost).
#
#   bash bench/routing_ab.sh BIN_DIR [BIN_DIR...]
#
# BIN_DIR holds an edgehubd (a build's src/app, or a copy of an older one).
# Each round runs, for every BIN_DIR and then Mosquitto, a fresh server and
# one msg_load run at full speed (PAIRS pairs, WINDOW in flight each) and
# one paced at RATE messages/s, both for SECONDS; with `perf` present, the
# server's system calls per message are counted over the run as well.
# Environment: ROUNDS (3), PAIRS (200), WINDOW (16), RATE (30000),
# SECONDS_PER_RUN (6), LOAD (build/bench/msg_load), MOSQUITTO (1; 0 = off).
# Prints one line per run, then the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 BIN_DIR [BIN_DIR...]" >&2; exit 2; }
rounds=${ROUNDS:-3}
pairs=${PAIRS:-200}
window=${WINDOW:-16}
rate=${RATE:-30000}
seconds=${SECONDS_PER_RUN:-6}
load_bin=${LOAD:-build/bench/msg_load}
with_mosquitto=${MOSQUITTO:-1}
. bench/lib.sh
if [ "$with_mosquitto" = 1 ]; then bash scripts/install-deps.sh mosquitto; fi
server_bin=
. bench/msg_servers.sh

syscalls="sendmsg sendto recvfrom epoll_ctl epoll_wait futex writev read write"
counting=0
if perf stat -e syscalls:sys_enter_sendmsg true >/dev/null 2>&1; then counting=1; fi

# measure LABEL MODE ARGS...: one msg_load run against the server started
# last; prints LABEL, the mode, the rate, CPU per message and system calls.
measure() {
  local label=$1 mode=$2 protocol=edgehub stat=$work/stat; shift 2
  [ "$label" = mosquitto ] && protocol=mqtt
  local counter=
  if [ "$counting" = 1 ]; then
    # inside the measured window: after msg_load's 2 s of warm-up, for SECONDS - 1
    (sleep 2.5 && perf stat -x, $(for s in $syscalls; do printf -- "-e syscalls:sys_enter_%s " "$s"; done) \
      -p "$server_pid" -o "$stat" -- sleep $((seconds - 1))) &
    counter=$!
  fi
  local result
  result=$(timeout 300 "$load_bin" --port "$port" --server-pid "$server_pid" --protocol "$protocol" \
    --mode direct --pairs "$pairs" --seconds "$seconds" "$@" | grep '^RESULT')
  if [ -n "$counter" ]; then wait "$counter" || true; fi
  python3 - "$label" "$mode" "$result" "$stat" "$counting" "$seconds" <<'EOF'
import re, sys
label, mode, result, stat, counting, seconds = sys.argv[1:]
def field(name):
    m = re.search(rf"\b{name}=([0-9.]+)", result)
    return float(m.group(1)) if m else float("nan")
rate, cpu = field("delivered_per_s"), field("server_cpu_us_per_msg")
line = f"{label:<24} {mode:<6} msgs/s={rate:>8.0f} server_us_per_msg={cpu:6.2f} p99_us={field('p99_us'):>7.0f}"
if counting == "1":
    # counted for SECONDS - 1 inside the measured window, at the run's rate
    messages = rate * (int(seconds) - 1)
    calls = {}
    for row in open(stat):
        parts = row.strip().split(",")
        if len(parts) > 2 and parts[0].isdigit():
            calls[parts[2].replace("syscalls:sys_enter_", "")] = int(parts[0]) / messages
    line += f" syscalls_per_msg={sum(calls.values()):.2f}" + "".join(f" {k}={v:.2f}" for k, v in calls.items() if v)
print(line, flush=True)
EOF
}

run_one() {  # LABEL BIN_DIR(or -)
  local label=$1 dir=$2
  for mode in full paced; do
    local args=(--window "$window")
    [ "$mode" = paced ] && args=(--rate "$rate")
    if [ "$label" = mosquitto ]; then
      start_mosquitto "r$round-$label-$mode"
    else
      server_bin=$dir/edgehubd
      start_edgehubd "r$round-$label-$mode"
    fi
    measure "$label" "$mode" "${args[@]}"
    stop_server
  done
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "command: ROUNDS=$rounds PAIRS=$pairs WINDOW=$window RATE=$rate SECONDS_PER_RUN=$seconds bash bench/routing_ab.sh $*"
for round in $(seq "$rounds"); do
  for dir in "$@"; do run_one "$(basename "$dir")@$dir" "$dir"; done
  if [ "$with_mosquitto" = 1 ]; then run_one mosquitto -; fi
done | tee "$work/runs.txt"
python3 - "$work/runs.txt" <<'EOF'
import re, statistics, sys
groups = {}
for line in open(sys.argv[1]):
    parts = line.split()
    found = re.search(r"server_us_per_msg=\s*([0-9.]+)", line)
    if len(parts) < 2 or not found:
        continue
    key = (parts[0], parts[1])
    cpu = float(found.group(1))
    groups.setdefault(key, []).append(cpu)
print("medians of server CPU per message (us):")
for (label, mode), cpus in groups.items():
    print(f"  {label:<40} {mode:<6} median {statistics.median(cpus):6.2f}  best {min(cpus):6.2f}  all {' '.join(f'{c:.2f}' for c in cpus)}")
EOF
