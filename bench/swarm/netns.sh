# The swarm benchmark's network (docs/BENCHMARKS.md#swarm-download): one
# namespace per node on one bridge, each seeder's uplink limited by tbf
# (netem does not work on these machines). Source it; needs root.
#
#   swarm_net_up PREFIX SEEDERS   namespaces PREFIX-hub, PREFIX-dl, PREFIX-s1..sN
#                                 on the bridge of PREFIX-core, 10.77.0.0/24
#   swarm_net_rate PREFIX I RATE  seeder I's uplink: a tc rate (100mbit) or "off"
#   swarm_net_down PREFIX         deletes every namespace the prefix made
#
# Addresses: hub 10.77.0.1, downloader 10.77.0.2, seeder I 10.77.0.(10+I).
# Only the seeders' sending side is shaped; the hub's and the downloader's
# links are unlimited, as a LAN is against a few home uplinks.

swarm_node_addr() {  # NODE (hub, dl, s1..s8)
  case $1 in
    hub) echo 10.77.0.1 ;;
    dl) echo 10.77.0.2 ;;
    s*) echo "10.77.0.$((10 + ${1#s}))" ;;
  esac
}

swarm_net_up() {
  local prefix=$1 seeders=$2 node i
  ip netns add "$prefix-core"
  ip -n "$prefix-core" link add br0 type bridge
  ip -n "$prefix-core" link set br0 up
  ip -n "$prefix-core" link set lo up
  local nodes=(hub dl)
  for i in $(seq "$seeders"); do nodes+=("s$i"); done
  for node in "${nodes[@]}"; do
    ip netns add "$prefix-$node"
    ip -n "$prefix-core" link add "v$node" type veth peer name eth0 netns "$prefix-$node"
    ip -n "$prefix-core" link set "v$node" master br0 up
    ip -n "$prefix-$node" addr add "$(swarm_node_addr "$node")/24" dev eth0
    ip -n "$prefix-$node" link set eth0 up
    ip -n "$prefix-$node" link set lo up
  done
}

# burst: at least 64 KiB (one TSO segment passes whole) and 5 ms of the
# rate, so the kernel's timer granularity does not cap the rate; a 50 ms
# queue, so TCP and the UDP transport both see a plain bottleneck.
swarm_net_rate() {
  local prefix=$1 i=$2 rate=$3 bits burst
  tc -n "$prefix-s$i" qdisc del dev eth0 root 2>/dev/null || true
  [[ $rate == off ]] && return 0
  bits=$(python3 -c "import sys; r=sys.argv[1].lower(); m={'kbit':1e3,'mbit':1e6,'gbit':1e9}; \
print(int(float(r[:-4])*m[r[-4:]]))" "$rate")
  burst=$((bits / 8 / 200))
  ((burst < 65536)) && burst=65536
  tc -n "$prefix-s$i" qdisc add dev eth0 root tbf rate "$rate" burst "$burst" latency 50ms
}

swarm_net_down() {
  local prefix=$1 ns
  for ns in $(ip netns list | awk -v p="$prefix-" 'index($1, p) == 1 { print $1 }'); do
    ip netns delete "$ns" 2>/dev/null || true
  done
}
