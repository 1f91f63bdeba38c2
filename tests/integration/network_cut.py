"""A network cut between one process and a server, for the cluster tests
(docs/CLUSTER.md#node-failure-and-database-outages).

A cut is not a crash: no reset, no close, the packets just stop. A relay in
user space cannot show that, because its kernel still acknowledges what the
process sends and answers its keepalive probes. So a relay
(tcp_relay.py) only gives the process's connections a port of their own,
and nftables drops every packet to and from that port on loopback while
the cut lasts. The other processes reach the server directly and are
untouched.

Needs root and nft (Debian nftables, installed by scripts/install-deps.sh);
available() says whether the test can run."""
import os
import shutil
import subprocess


def available():
    return os.geteuid() == 0 and shutil.which("nft") is not None


class NetworkCut:
    """Drops every packet to or from a port on this machine while cut.
    heal() lets them through again, except for the connections it is told
    to leave cut: their packets stay lost, as when a NAT or firewall in
    between forgot them (a peer that never answers, not even with a reset).
    Its own nftables table, removed on exit, so that a failing test leaves
    no rule behind."""

    def __init__(self, port):
        self.port = port
        self.table = f"edgehub_cut_{os.getpid()}_{port}"

    def cut(self):
        self._replace([f"tcp dport {self.port} drop", f"tcp sport {self.port} drop"])

    def heal(self, still_cut=()):
        """still_cut: the client ports of connections to self.port whose
        packets stay dropped."""
        self._replace([rule for client in still_cut
                       for rule in (f"tcp dport {self.port} tcp sport {client} drop",
                                    f"tcp sport {self.port} tcp dport {client} drop")])

    def _replace(self, rules):
        # One nft run is one atomic batch; "add" then "delete" works whether
        # or not the table exists yet.
        batch = [f"add table inet {self.table}", f"delete table inet {self.table}"]
        if rules:
            batch += [f"add table inet {self.table}",
                      f"add chain inet {self.table} out {{ type filter hook output priority 0; }}"]
            batch += [f"add rule inet {self.table} out {rule}" for rule in rules]
        subprocess.run(["nft", "; ".join(batch)], check=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._replace([])
