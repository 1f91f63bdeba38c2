#!/usr/bin/env bash
# Builds and runs every test twice: a normal build (RelWithDebInfo) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build; then a ThreadSanitizer
# build runs the tests of the code with threads of its own that share data
# (the client's download pipeline, the server serving files from several
# connections and workers). Installs missing Debian packages first. Set
# EDGEHUB_SKIP_ASAN=1 to run only the first build, EDGEHUB_SKIP_TSAN=1 to
# leave out the last.
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
if [ "${EDGEHUB_SKIP_ASAN:-0}" != "1" ] && [ "${EDGEHUB_SKIP_TSAN:-0}" != "1" ]; then
  echo "=== building build-tsan"
  bash scripts/build.sh build-tsan -DEDGEHUB_TSAN=ON -- unit_client edgehubd edgehub
  echo "=== testing build-tsan"
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" EDGEHUB_TEST_TIMEOUT=60 \
    ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 900 -R '^client\.|^integration\.test_files|^integration\.test_client_hostile_server|^integration\.test_client_event_order'
fi
echo "=== all tests passed in $(( $(date +%s) - start ))s"
