# What bench/msg_bench.sh and bench/latency_bench.sh share: a fresh
# edgehubd or Mosquitto per msg_load run, stopped after it. Source it after
# setting server_bin, load_bin and with_mosquitto (1: Mosquitto runs too).
# Sets up $work (removed on exit) and the functions below; bench/lib.sh
# must be sourced first.

work=$(mktemp -d /tmp/edgehub-msg-bench.XXXXXX)
wrapper=    # the `timeout` process the server runs under
server_pid= # the server itself (for its CPU time)
cleanup() {
  if [ -n "$wrapper" ]; then stop_server; fi
  rm -rf "$work"
}
trap cleanup EXIT

note() { echo "== $*" >&2; }

# adopt_server: after `timeout ... SERVER &`, finds the server (the child
# of $wrapper) for the CPU accounting.
adopt_server() {
  wrapper=$!
  server_pid=
  for _ in $(seq 100); do
    server_pid=$(pgrep -P "$wrapper" || true)
    [ -n "$server_pid" ] && return 0
    sleep 0.05
  done
  echo "server did not start" >&2
  return 1
}

# start_edgehubd NAME ARGS...: fresh data dir; sets server_pid and port.
start_edgehubd() {
  local dir=$work/$1; shift
  mkdir -p "$dir"
  timeout 1200 "$server_bin" --port 0 --http-port 0 --data-dir "$dir/data" --log-level warn --guest --no-presence \
    --argon2-ops 1 --argon2-mem-kib 64 "$@" >"$dir/out" 2>"$dir/err" &
  adopt_server
  port=$(listening_port "$wrapper" "$dir" 300) || return 1
}

# start_mosquitto NAME [CONFIG_LINE...]: a broker on a free loopback port,
# its log in the run's directory.
start_mosquitto() {
  local dir=$work/$1; shift
  mkdir -p "$dir"
  port=$(free_port)
  write_mosquitto_conf "$dir/mosquitto.conf" "$port" "$@"
  timeout 1200 mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  adopt_server
  wait_for_tcp "$port" "$wrapper" 100 || { echo "mosquitto did not start" >&2; return 1; }
}

stop_server() {
  stop_gracefully "$server_pid"
  stop_gracefully "$wrapper"
  wrapper=
  server_pid=
}

# run SERVER NAME ARGS...: a fresh SERVER (edgehubd, mosquitto, or
# mosquitto-allowdup: with allow_duplicate_messages true), one
# bounded msg_load run against it (its RESULT line is printed and kept as
# NAME-SERVER), then the server is stopped. edgehubd also gets the
# arguments in $server_args.
server_args=()
run() {
  local server=$1 name=$2; shift 2
  local protocol=edgehub
  if [ "$server" != edgehubd ]; then
    [ "$with_mosquitto" = 1 ] || return 0
    protocol=mqtt
    if [ "$server" = mosquitto ]; then start_mosquitto "$name-$server"
    else start_mosquitto "$name-$server" "allow_duplicate_messages true"; fi
  else
    start_edgehubd "$name-$server" "${server_args[@]}"
  fi
  timeout 600 "$load_bin" --port "$port" --server-pid "$server_pid" --protocol "$protocol" "$@" \
    | tee "$work/$name-$server.result" | grep '^RESULT' || echo "warning: $name against $server failed" >&2
  stop_server
}

value() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$work/$1.result" 2>/dev/null; }
