#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests (docs/CLUSTER.md#tests).
#   postgres_server.sh start STATE_FILE   initdb in a new temporary directory,
#                                         start on a free port; STATE_FILE gets
#                                         the server's URL (line 1) and its
#                                         directory (line 2)
#   postgres_server.sh stop STATE_FILE    stop it and remove the directory
# initdb and postgres refuse to run as root: as root they run as nobody.
# A missing PostgreSQL is an error, not a skip: install-deps.sh installs it.
set -euo pipefail

action=${1:?start or stop}
state=${2:?state file}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
as_owner=()
[ "$(id -u)" -ne 0 ] || as_owner=(runuser -u nobody --)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# fsync off by default: the tests check behaviour, not crash safety.
# EDGEHUB_PG_FSYNC=on keeps PostgreSQL's own defaults (bench/cluster_bench.sh
# compares it with SQLite, which commits with fsync too).
durability="-c fsync=off -c full_page_writes=off"
[ "${EDGEHUB_PG_FSYNC:-off}" != on ] || durability=""

start() {
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres_server.sh: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run scripts/install-deps.sh" >&2
    exit 1
  fi
  local dir port
  dir=$(mktemp -d /tmp/edgehub-pg-XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown nobody: "$dir"
  cd "$dir"  # runuser keeps the working directory: one nobody can enter
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U edgehub --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # A port taken between free_port and the server's bind: try another.
  for _ in 1 2 3; do
    port=$(free_port)
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability" start >/dev/null; then
      printf 'postgresql://edgehub@127.0.0.1:%s/\n%s\n' "$port" "$dir" >"$state"
      return 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
}

# pause and resume: the same server stopped (as a crash would, -m immediate)
# and started again on its port, its data kept: a database outage
# (tests/integration/test_cluster_durability.py).
pause() {
  local dir
  dir=$(sed -n 2p "$state")
  cd /
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
}

resume() {
  local dir port
  dir=$(sed -n 2p "$state")
  port=$(sed -n '1s/.*:\([0-9]*\)\/$/\1/p' "$state")
  cd "$dir"
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability" start >/dev/null
}

stop() {
  [ -f "$state" ] || return 0
  local dir
  dir=$(sed -n 2p "$state")
  cd /
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    rm -rf "$dir"
  fi
  rm -f "$state"
}

"$action"
