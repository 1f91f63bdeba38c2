#!/usr/bin/env bash
# Configures and builds one build tree. Usage: scripts/build.sh DIR [cmake args...] [-- targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; shift
cmake_args=(); targets=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; targets=("$@"); break; fi
  cmake_args+=("$1"); shift
done
bash scripts/install-deps.sh
cmake -S . -B "$dir" -G Ninja "${cmake_args[@]}" >/dev/null
if [ ${#targets[@]} -gt 0 ]; then
  ninja -C "$dir" "${targets[@]}"
else
  ninja -C "$dir"
fi
