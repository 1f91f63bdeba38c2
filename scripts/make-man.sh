#!/usr/bin/env bash
# Writes the man pages edgehubd(8) and edgehub(1) into docs/man/ from the
# binaries' --help (help2man) and docs/man/*.h2m (the sections --help does
# not have). Run it after changing an option or a help text:
# tests/ops/test_man_pages.py fails while the pages and --help disagree.
# Usage: scripts/make-man.sh [BIN_DIR [OUT_DIR]]   (default build/src/app, docs/man)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/src/app}
out=${2:-docs/man}
version=$(sed -n 's/^project(edgehub VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
# The page's date: the last commit's, so that regenerating changes nothing.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
# No configuration file of this machine may change the defaults shown.
export EDGEHUB_CONFIG=
page() {  # BINARY SECTION SUMMARY
  help2man --no-info --section "$2" --name "$3" --version-string "$version" \
    --include "docs/man/$1.h2m" --output "$out/$1.$2" "$bin/$1"
}
page edgehubd 8 "the edgehub server for edge devices"
page edgehub 1 "client for an edgehub server"
