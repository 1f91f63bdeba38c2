#!/usr/bin/env bash
# Swarm download benchmark (docs/BENCHMARKS.md#swarm-download): edgehub's
# share + p2pDownload against a real BitTorrent swarm (aria2c seeders and
# downloader, opentracker, mktorrent), in the same run, on the same network
# namespaces and the same file, runs interleaved. Each seeder's uplink is
# limited by tbf (bench/swarm/netns.sh); the downloader's is not.
#
#   bench/swarm_bench.sh [BUILD_DIR]          full: 256 MiB, 3 runs, every case
#   QUICK=1 bench/swarm_bench.sh [BUILD_DIR]  64 MiB, 2 runs, 2x100/unequal/kill
#   TOOLS=aria2 CASES=1x100,kill RUNS=5 SIZE_MB=128 bench/swarm_bench.sh
#   EDGEHUB_BIN_DIR=DIR: edgehubd and edgehub from DIR, nothing built
#   EDGEHUB_DL_WRAP="perf stat -e ... -o F --": runs the edgehub downloader
#       under that command (profiling; its CPU then includes the wrapper's)
#   UPDATE_DOCS=1 bench/swarm_bench.sh        also writes the table into
#       docs/BENCHMARKS.md and the plot into docs/bench/swarm.svg
#
# Needs root (namespaces, tc). aria2, opentracker, mktorrent and
# python3-matplotlib are Debian packages, installed here if missing (the
# test command never needs them). Bounded: LIMIT seconds in all (default
# 2400), each download at most 10x its ideal time; namespaces and processes
# are removed on any exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
build=${1:-build}
quick=${QUICK:-0}
if [[ $quick == 1 ]]; then size_mb=${SIZE_MB:-64} runs=${RUNS:-2}; else size_mb=${SIZE_MB:-256} runs=${RUNS:-3}; fi
tools=${TOOLS:-edgehub,aria2}
limit=${LIMIT:-2400}
results=${RESULTS:-$repo/$build/swarm-bench}
if [[ $(id -u) != 0 ]]; then
  echo "swarm_bench: needs root (network namespaces, tc); skipped" >&2
  exit 0
fi

bash scripts/install-deps.sh aria2 opentracker mktorrent python3-matplotlib
source bench/lib.sh
source bench/swarm/netns.sh
bin_dir=${EDGEHUB_BIN_DIR:-}  # binaries from elsewhere (as tests/integration takes them), else built here
if [[ -z $bin_dir ]]; then
  bin_dir=$repo/$build/src/app
  if [[ $tools == *edgehub* ]]; then build_targets "$build" edgehubd edgehub; fi
fi

prefix=ehsw$$
work=$(mktemp -d /dev/shm/edgehub-swarm-bench.XXXXXX)
mkdir -p "$results"
cleanup() {
  # swarm_runs.py stops what it started; this is for a run cut short
  # (timeout, ^C): its own processes, by the pids it recorded.
  if [[ -f $work/pids ]]; then
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done <"$work/pids"
  fi
  swarm_net_down "$prefix"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

seeders=8
[[ $quick == 1 ]] && seeders=4
swarm_net_up "$prefix" "$seeders"
mkdir -p "$work/src"
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/src/swarm.bin"
chmod 755 "$work" "$work/src"
chmod 644 "$work/src/swarm.bin"

echo "== links: tbf at 200/100/50/25 Mbit/s, TCP goodput of each at once (Mbit/s)"
for i in 1 2 3 4; do swarm_net_rate "$prefix" "$i" "$((200 >> (i - 1)))mbit"; done
python3 bench/swarm/linkcheck.py "$prefix" 3 1 2 3 4 | tee "$results/linkcheck.txt"

shell_command="${EDGEHUB_BIN_DIR:+EDGEHUB_BIN_DIR=$EDGEHUB_BIN_DIR }${QUICK:+QUICK=$QUICK }${RUNS:+RUNS=$RUNS }${SIZE_MB:+SIZE_MB=$SIZE_MB }${TOOLS:+TOOLS=$TOOLS }${CASES:+CASES=$CASES }bench/swarm_bench.sh $build"
quick_flag=()
[[ $quick == 1 ]] && quick_flag=(--quick)
status=0
timeout -k 30 "$limit" python3 bench/swarm/swarm_runs.py --prefix "$prefix" --work "$work" \
  --source "$work/src/swarm.bin" --bin "$bin_dir" --out "$results/results.json" \
  --runs "$runs" --tools "$tools" --cases "${CASES:-}" --shell-command "$shell_command" "${quick_flag[@]}" || status=$?
[[ $status == 0 ]] || echo "swarm_bench: the runs ended with status $status (124: over LIMIT=$limit s); reporting what was measured" >&2

echo
python3 bench/swarm/report.py "$results/results.json" "$results/linkcheck.txt" | tee "$results/table.md"
plot=$results/swarm.svg
/usr/bin/python3 bench/swarm/plot.py "$results/results.json" "$plot" || echo "swarm_bench: no plot (python3-matplotlib?)" >&2
if [[ ${UPDATE_DOCS:-0} == 1 ]]; then
  mkdir -p docs/bench
  cp "$results/results.json" docs/bench/swarm.json
  [[ -f $plot ]] && cp "$plot" docs/bench/swarm.svg
  python3 bench/swarm/report.py "$results/results.json" "$results/linkcheck.txt" --into docs/BENCHMARKS.md
  echo "swarm_bench: docs/BENCHMARKS.md, docs/bench/swarm.{json,svg} updated"
fi
exit "$status"
