#!/usr/bin/env bash
# Builds and runs every test three times: a normal build (RelWithDebInfo),
# an AddressSanitizer + UndefinedBehaviorSanitizer build, and a
# ThreadSanitizer build (every unit and integration test: the server's
# network threads, workers and store thread, the client's I/O and download
# threads). The sanitizer builds also turn on the thread-ownership checks
# (src/common/thread_check.hpp). Installs missing Debian packages first. Set
# EDGEHUB_SKIP_ASAN=1 to run only the first build, EDGEHUB_SKIP_TSAN=1 to
# leave out the last. After the first build, the integration tests run once
# more on PostgreSQL (EDGEHUB_SKIP_POSTGRES=1 leaves that out).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
jobs=$(nproc)

run_suite() {
  local dir=$1; shift
  local t0; t0=$(date +%s)
  echo "=== building $dir"
  bash scripts/build.sh "$dir" "$@"
  echo "=== testing $dir"
  # The browser tests (label browser, docs/CONSOLE.md#browser-tests) and the
  # lint checks run in the normal stage only: the console and the sources
  # are the same bytes in every build.
  local skip=()
  [ "$dir" = build ] || skip=(-LE 'browser|lint')
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 900 "${skip[@]}"
  echo "=== $dir built and tested in $(( $(date +%s) - t0 ))s"
}

# Unity builds: CMake compiles each target's .cpp files in batches of
# sixteen, so the Boost, spdlog and gtest headers are parsed a sixteenth as
# often (the three builds were two thirds of this command's 88 minutes;
# sixteen instead of eight saved a further 18% of a batch's compile time). A
# file's anonymous-namespace names must therefore differ from those of the
# other files of its target (docs/ARCHITECTURE.md#building).
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16)

# -g1 (line tables, all a stack trace needs) instead of -g: a batch compiles
# in 29% less time (hub's first batch: 10.6 s instead of 14.8 s).
run_suite build "${unity[@]}" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
if [ "${EDGEHUB_SKIP_POSTGRES:-0}" != "1" ]; then
  # The integration suite again, every edgehubd on PostgreSQL: the normal
  # build's binaries, a throwaway server per test module
  # (docs/CLUSTER.md#the-integration-tests-on-postgresql).
  # One server for all modules (an initdb per module cost seconds each),
  # each data directory its own database in it. Modules that start their
  # own PostgreSQL anyway (label own_postgres: the cluster tests, migrate)
  # ran in the normal stage already, the same way.
  t0=$(date +%s)
  echo "=== integration tests on PostgreSQL"
  pg_state=$(mktemp)
  bash tests/unit/store/postgres_server.sh start "$pg_state"
  trap 'bash tests/unit/store/postgres_server.sh stop "$pg_state"' EXIT
  EDGEHUB_TEST_POSTGRES_URL=$(head -n 1 "$pg_state") EDGEHUB_TEST_DATABASE=postgres \
    ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900 -L integration -LE 'browser|own_postgres'
  bash tests/unit/store/postgres_server.sh stop "$pg_state"
  trap - EXIT
  rm -f "$pg_state"
  echo "=== integration tests on PostgreSQL passed in $(( $(date +%s) - t0 ))s"
fi
if [ "${EDGEHUB_SKIP_ASAN:-0}" != "1" ]; then
  # A small quarantine: ASan keeps freed memory (256 MiB by default) before
  # reusing it, and TLS frees and allocates its record buffers on every
  # write, so tests that bound the server's RSS (test_slow_receiver) would
  # measure the quarantine instead of the server.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:quarantine_size_mb=8
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
  # Of the bench tools only udp_relay and udp_send, which the UDP transport
  # tests drive (EDGEHUB_BENCH_TESTED_ONLY).
  # -g1: line tables are all a sanitizer's stack trace needs; full debug
  # information only makes the compiler and linker write more.
  run_suite build-asan "${unity[@]}" -DEDGEHUB_BENCH_TESTED_ONLY=ON -DEDGEHUB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1
fi
if [ "${EDGEHUB_SKIP_ASAN:-0}" != "1" ] && [ "${EDGEHUB_SKIP_TSAN:-0}" != "1" ]; then
  # TSan slows the binaries 5-15 times: the harness waits up to 60 s per
  # step instead of 20 (tests/integration/harness.py).
  export TSAN_OPTIONS="halt_on_error=1 exitcode=66" EDGEHUB_TEST_TIMEOUT=60
  run_suite build-tsan "${unity[@]}" -DEDGEHUB_BENCH_TESTED_ONLY=ON -DEDGEHUB_TSAN=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
fi
echo "=== all tests passed in $(( $(date +%s) - start ))s"
