#!/usr/bin/env bash
# Latency against offered load (issue 18; docs/BENCHMARKS.md, "Latency
# against offered load"): direct messages between PAIRS pairs of clients,
# paced at fractions of edgehubd's maximum rate, through edgehubd and
# through Mosquitto at the same absolute rates, runs interleaved (the order
# of the two servers alternates run by run). Reports p50, p99 and p999 of
# the time from send to delivery (median, best and all runs) and the rate
# each server delivered, and draws docs/bench/latency.svg with gnuplot.
#
#   bash bench/latency_bench.sh [BUILD_DIR]      (default: build-bench)
#
# Environment: PAIRS (200), SECONDS_PER_RUN (10), RUNS (3), FRACTIONS
# ("0.1 0.25 0.5 0.75 0.9" of the maximum), MAX_RATE (messages/s; default:
# measured first, as bench/msg_bench.sh's phase 1 does), MOSQUITTO (1; 0 =
# edgehubd only), RESULTS (directory for latency.tsv, latency.dat, latency.svg;
# default BUILD_DIR/latency-bench), UPDATE_DOCS=1 (also copies the plot and
# its data into docs/bench/). Every server is fresh per run and stopped after
# it (bench/msg_servers.sh); every run is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-bench}
pairs=${PAIRS:-200}
seconds=${SECONDS_PER_RUN:-10}
runs=${RUNS:-3}
fractions=${FRACTIONS:-0.1 0.25 0.5 0.75 0.9}
with_mosquitto=${MOSQUITTO:-1}
results=${RESULTS:-$build/latency-bench}

. bench/lib.sh
build_targets "$build" edgehubd msg_load
server_bin=$build/src/app/edgehubd
load_bin=$build/bench/msg_load
bash scripts/install-deps.sh gnuplot-nox
if [ "$with_mosquitto" = 1 ]; then bash scripts/install-deps.sh mosquitto; fi
. bench/msg_servers.sh
server_args=()
mkdir -p "$results"

machine="$(nproc) cores of \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\", $(. /etc/os-release; echo "$PRETTY_NAME")"
echo "machine: $machine, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"

max=${MAX_RATE:-}
if [ -z "$max" ]; then
  note "edgehubd's maximum: $pairs pairs, window 16, ${seconds}s"
  run edgehubd max --mode direct --pairs "$pairs" --window 16 --seconds "$seconds"
  max=$(value max-edgehubd delivered_per_s)
fi
max=${max%.*}

tsv=$results/latency.tsv
printf 'server\toffered\trun\tp50_us\tp99_us\tp999_us\tdelivered_per_s\n' >"$tsv"
for fraction in $fractions; do
  rate=$(python3 -c "print(int($max * $fraction))")
  for r in $(seq "$runs"); do
    if ((r % 2)); then order=(mosquitto edgehubd); else order=(edgehubd mosquitto); fi
    for server in "${order[@]}"; do
      [ "$server" = mosquitto ] && [ "$with_mosquitto" != 1 ] && continue
      note "$server at $rate messages/s ($fraction of $max), run $r of $runs"
      name="r$rate-$r"
      run "$server" "$name" --mode direct --pairs "$pairs" --rate "$rate" --seconds "$seconds"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$rate" "$r" "$(value "$name-$server" p50_us)" \
        "$(value "$name-$server" p99_us)" "$(value "$name-$server" p999_us)" \
        "$(value "$name-$server" delivered_per_s)" >>"$tsv"
    done
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 bench/latency_bench_report.py "$tsv" "$results/latency.dat" "$max"
gnuplot -e "data='$results/latency.dat'; out='$results/latency.svg'; machine='$machine'" bench/latency_bench.gp
echo "plot: $results/latency.svg"
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
  cp "$results/latency.svg" "$results/latency.tsv" docs/bench/
  echo "docs/bench/latency.{svg,tsv} updated"
fi
