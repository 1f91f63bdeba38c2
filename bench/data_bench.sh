#!/usr/bin/env bash
# Edge-data benchmark: our engine and GNU datamash on the same file, same run.
#
#   bench/data_bench.sh [COUNT] [BUILD_DIR]      (defaults: 100000000, build)
#
# Data goes to /tmp (about 10.4 bytes per value) and is removed afterwards.
set -euo pipefail

count=${1:-100000000}
build=${2:-build}
dir=$(mktemp -d /tmp/edgehub-data-bench.XXXXXX)
file=$dir/bench-1.txt
trap 'rm -rf "$dir"' EXIT

if ! command -v datamash >/dev/null; then
  echo "datamash missing: installing the Debian package" >&2
  apt-get install -y datamash >/dev/null || { apt-get update >/dev/null && apt-get install -y datamash >/dev/null; }
fi

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== edgehub data_bench --count $count"
"$build/bench/data_bench" --count "$count" --file "$file" --keep

bytes=$(stat -c %s "$file")
echo "== GNU datamash $(datamash --version | head -1 | awk '{print $NF}'): sum 1 mean 1 min 1 max 1"
cat "$file" >/dev/null  # same page-cache state as data_bench had
# Wall and CPU (user + sys) time: on a shared machine the CPU time is the fair comparison.
TIMEFORMAT='%R %U %S'
{ time datamash sum 1 mean 1 min 1 max 1 <"$file" >"$dir/datamash.out"; } 2>"$dir/datamash.time"
read -r wall user sys <"$dir/datamash.time"
echo "datamash: $(cat "$dir/datamash.out")"
awk -v w="$wall" -v u="$user" -v s="$sys" -v b="$bytes" \
  'BEGIN { c = u + s; printf "datamash: %.3f s = %.0f MB/s (cpu %.3f s = %.0f MB/s)\n", w, b / 1e6 / w, c, b / 1e6 / c }'
