#!/usr/bin/env bash
# Edge-data benchmark: our engine and GNU datamash on the same file, same run.
#
#   bench/data_bench.sh [COUNT] [BUILD_DIR]      (defaults: 100000000, build)
#
# Data goes to /tmp (about 11.4 bytes per value) and is removed afterwards.
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
start=$(date +%s.%N)
result=$(datamash sum 1 mean 1 min 1 max 1 <"$file")
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v b="$bytes" -v r="$result" \
  'BEGIN { t = e - s; printf "datamash: %s\ndatamash: %.3f s = %.0f MB/s\n", r, t, b / 1e6 / t }'
