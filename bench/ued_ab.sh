#!/usr/bin/env bash
# UED end to end, two builds side by side (docs/BENCHMARKS.md#ued-after-the-spool-7-december):
# each build's own client against its own edgehubd, alternating run by run,
# file 1 (10^8 values, ~1 GB) removed with DTE before each timed UED.
# Usage: bench/ued_ab.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS]
set -u
old=$(cd "$1" && pwd); new=$(cd "$2" && pwd); rounds=${3:-5}
work=$(mktemp -d /tmp/ued-ab.XXXXXX)
printf 'bench b3nch\n' > "$work/cred.txt"
declare -A port pid
for v in old new; do
  bin=${!v}
  mkdir -p "$work/$v/client"
  "$bin/edgehubd" --port 0 --http-port 0 --data-dir "$work/$v/data" --credentials "$work/cred.txt" > "$work/$v/out" 2> "$work/$v/err" &
  pid[$v]=$!
done
for v in old new; do
  for _ in $(seq 100); do grep -q listening "$work/$v/out" && break; sleep 0.1; done
  port[$v]=$(grep -o ':[0-9]*' "$work/$v/out" | head -1 | tr -d :)
done
client() { local v=$1; shift; local bin=${!v}; (cd "$work/$v/client" && EDGEHUB_PASSWORD=b3nch EDGEHUB_SEED=1 "$bin/edgehub" --plain --user bench 127.0.0.1 "${port[$v]}"); }
echo "EDG 1 100000000" | client new > /dev/null
cp "$work/new/client/bench-1.txt" "$work/old/client/bench-1.txt"
bytes=$(stat -c %s "$work/new/client/bench-1.txt")
declare -A rates
for r in $(seq "$rounds"); do
  for v in old new; do
    echo "DTE 1" | client $v > /dev/null 2>&1
    t0=$(date +%s.%N); out=$(echo "UED 1" | client $v 2>&1 | grep -c uploaded); t1=$(date +%s.%N)
    rate=$(echo "scale=1; $bytes / 1000000 / ($t1 - $t0)" | bc)
    [[ $out == 1 ]] || rate="failed"
    rates[$v]+="$rate "
    echo "round $r $v: $rate MB/s"
  done
done
for v in old new; do
  sorted=$(printf '%s\n' ${rates[$v]} | sort -n)
  echo "$v: median $(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'), best $(echo "$sorted" | tail -1), runs ${rates[$v]}"
done
kill ${pid[old]} ${pid[new]}; wait 2>/dev/null
rm -rf "$work"
