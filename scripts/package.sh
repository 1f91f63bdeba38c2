#!/usr/bin/env bash
# Builds the Debian package (docs/OPERATIONS.md#the-debian-package): a
# Release build in build-package/, then CPack. Prints the .deb's path.
# Usage: scripts/package.sh [DIR]   (default build-package)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-package}
# Only what goes into the package: no tests, no benchmarks; a unity build
# as scripts/test.sh makes (docs/ARCHITECTURE.md#building).
bash scripts/build.sh "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DEDGEHUB_TESTS=OFF -DEDGEHUB_BENCH=OFF \
  -- edgehubd edgehub
(cd "$dir" && cpack -G DEB >/dev/null)
ls "$PWD/$dir"/edgehub_*.deb
