# Shared by the bench scripts (source it from the repository root).

# build_targets BUILD_DIR TARGET...: configures BUILD_DIR as a Release tree
# without tests if it is new, then builds only the targets named.
build_targets() {
  local build=$1
  shift
  if [ ! -f "$build/CMakeCache.txt" ]; then
    bash scripts/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -DEDGEHUB_TESTS=OFF -- "$@" >/dev/null
  else
    ninja -C "$build" "$@" >/dev/null
  fi
}

# listening_port PID DIR TENTHS: waits (up to TENTHS tenths of a second)
# until the edgehubd with that pid, started with --port 0 and its output in
# DIR/out, says "listening on"; prints the port. Fails, showing DIR/err, if
# the server exits first or never listens.
listening_port() {
  local pid=$1 dir=$2 tenths=$3 port
  for _ in $(seq "$tenths"); do
    grep -q "listening on" "$dir/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/err" >&2; return 1; }
    sleep 0.1
  done
  port=$(sed -n 's/^edgehubd listening on [0-9.]*:\([0-9]*\).*/\1/p' "$dir/out" | head -1)
  [ -n "$port" ] || { echo "edgehubd did not start" >&2; return 1; }
  echo "$port"
}

# stop_gracefully PID: SIGTERM, up to 10 s to exit, then SIGKILL.
stop_gracefully() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# free_port: a TCP port on 127.0.0.1 that is free now (for servers that
# cannot be started on port 0 and report theirs).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# write_mosquitto_conf FILE PORT [LINE...]: the settings every benchmark
# broker shares (listener on 127.0.0.1:PORT, anonymous clients, no
# connection limit, no persistence, log to stdout: the broker drops root
# before it opens a log file) and then LINEs.
write_mosquitto_conf() {
  local file=$1 port=$2
  shift 2
  printf '%s\n' "listener $port 127.0.0.1" "allow_anonymous true" "max_connections -1" "persistence false" \
    "log_dest stdout" "$@" >"$file"
}

# wait_for_tcp PORT PID TENTHS: waits until 127.0.0.1:PORT accepts a
# connection; fails if PID exits first or TENTHS tenths of a second pass.
wait_for_tcp() {
  local port=$1 pid=$2 tenths=$3
  for _ in $(seq "$tenths"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# write_nginx_conf DIR LISTEN ROOT [DIRECTIVES]: a one-worker nginx that
# serves ROOT on LISTEN (ADDRESS:PORT) with sendfile, the way a user would
# set it up to hand out files, plus DIRECTIVES in its server block (e.g.
# WebDAV PUT); its config, pid and temporaries in DIR (the same for every
# benchmark that compares with nginx).
write_nginx_conf() {
  local dir=$1 listen=$2 root=$3 directives=${4:-}
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server { listen $listen; root $root; $directives}
}
CONF
}

# start_web_edgehubd BUILD DIR HTTP_PORT [ARGS...]: an edgehubd with its
# HTTP API on 127.0.0.1:HTTP_PORT, data in DIR/data, one account "bench"
# (cheap argon2id); its output in DIR/out and DIR/err. Sets WEB_PID and
# waits until both ports listen.
start_web_edgehubd() {
  local build=$1 dir=$2 http_port=$3
  shift 3
  mkdir -p "$dir/data"
  echo "bench bench-password" >"$dir/credentials.txt"
  "$build/src/app/edgehubd" --port 0 --http-port "$http_port" --data-dir "$dir/data" \
    --credentials "$dir/credentials.txt" --argon2-ops 1 --argon2-mem-kib 64 "$@" >"$dir/out" 2>"$dir/err" &
  WEB_PID=$!
  listening_port "$WEB_PID" "$dir" 100 >/dev/null
  for _ in $(seq 100); do grep -q "http listening on" "$dir/out" && return 0; sleep 0.1; done
  echo "edgehubd's HTTP port did not listen" >&2
  return 1
}

# web_login DIR HTTP_PORT: logs "bench" in (POST /api/v1/login), the
# session cookie in DIR/cookies; prints the answer (JSON with "csrf").
web_login() {
  curl -sf -c "$1/cookies" -H 'Content-Type: application/json' \
    -d '{"name":"bench","password":"bench-password"}' "http://127.0.0.1:$2/api/v1/login"
}

# cluster_bench_setup NAME: the frame of the cluster benchmarks. A work
# directory (`work`, /tmp/edgehub-NAME.*; kept with KEEP=1), `pids` whose
# processes are stopped on exit, `note`, and a PostgreSQL run as the tests
# run it (tests/unit/store/postgres_server.sh) but with fsync on, as a
# production server would: `pg_base` (its URL without a database), `pg_dir`
# (its directory) and `sql QUERY [DATABASE]`.
cluster_bench_setup() {
  work=$(mktemp -d "/tmp/edgehub-$1.XXXXXX")
  pg_state=$work/pg-state
  pids=()
  trap cluster_bench_cleanup EXIT
  EDGEHUB_PG_FSYNC=on bash tests/unit/store/postgres_server.sh start "$pg_state"
  pg_base=$(head -n 1 "$pg_state")
  pg_dir=$(sed -n 2p "$pg_state")
}
cluster_bench_cleanup() {
  for p in "${pids[@]}"; do stop_gracefully "$p"; done
  EDGEHUB_PG_FSYNC=on bash tests/unit/store/postgres_server.sh stop "$pg_state" || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
note() { echo "== $(date -u +%H:%M:%S) $*" >&2; }
sql() { psql -q -X -At "${pg_base}${2:-postgres}" -c "$1"; }
