#!/usr/bin/env bash
# Builds and runs every test twice: a normal build (RelWithDebInfo) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build. Installs missing
# Debian packages first. Set EDGEHUB_SKIP_ASAN=1 to run only the first.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
jobs=$(nproc)

run_suite() {
  local dir=$1; shift
  echo "=== building $dir"
  bash scripts/build.sh "$dir" "$@"
  echo "=== testing $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 900
}

run_suite build
if [ "${EDGEHUB_SKIP_ASAN:-0}" != "1" ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
  # Bench tools too: the UDP transport tests drive udp_relay and udp_send.
  run_suite build-asan -DEDGEHUB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
fi
echo "=== all tests passed in $(( $(date +%s) - start ))s"
