#!/usr/bin/env bash
# Builds edgehubd and edgehub (Release) and starts the server on its embedded
# default: SQLite in ./edgehub-data, the sample ./credentials.txt, port 7475
# on loopback. Extra arguments go to edgehubd (e.g. --port 9000 --guest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DEDGEHUB_TESTS=OFF -DEDGEHUB_BENCH=OFF -- edgehubd edgehub >/dev/null
cat <<MSG
edgehubd is starting (Ctrl-C stops it). Connect from another terminal with:
    ./build-release/src/app/edgehub 127.0.0.1 7475        (log in as alice / wonder1and, see credentials.txt)
or by hand:
    nc 127.0.0.1 7475     then type: login alice wonder1and   and: AED
MSG
exec ./build-release/src/app/edgehubd --data-dir ./edgehub-data --credentials ./credentials.txt "$@"
