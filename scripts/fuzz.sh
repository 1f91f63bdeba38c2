#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and fuzzes each one for a while,
# starting from its seed corpus (new inputs go to fuzz-out/NAME, not into
# the committed corpus). Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
bash scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DEDGEHUB_FUZZ=ON -DEDGEHUB_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls tests/fuzz/*_fuzz.cpp | xargs -n1 basename | sed 's/_fuzz.cpp$//'))
fi
for t in "${targets[@]}"; do
  ninja -C build-fuzz "fuzz_$t"
  mkdir -p "fuzz-out/$t"
  echo "=== fuzzing $t for ${secs}s"
  ./build-fuzz/tests/fuzz/"fuzz_$t" -max_total_time="$secs" -print_final_stats=1 "fuzz-out/$t" "tests/fuzz/corpus/$t"
done
