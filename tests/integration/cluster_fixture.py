"""What the cluster tests share (test_cluster.py, test_cluster_presence.py):
one throwaway PostgreSQL per module, a fresh database per test, and nodes
with a short lease on it (docs/CLUSTER.md)."""
import contextlib
import os
import re
import signal
import subprocess

from harness import HubTestCase, Server, wait_until
from postgres_database import PostgresServer

PG = None
LEASE = 2  # seconds (--cluster-lease): short, so that a death shows quickly
BOUND = LEASE + LEASE / 3  # docs/CLUSTER.md#the-node-registry-and-its-lease
# The bound is the database's; the test adds time for this (shared, loaded)
# machine to schedule the surviving node's round and for the log to reach us.
SCHEDULING_SLACK = 8


def setUpModule():
    global PG
    PG = PostgresServer()


def tearDownModule():
    PG.stop()


def freeze(server):
    """SIGSTOP, then wait until every thread of the node is stopped. The
    kernel stops a process's threads one after the other, after kill()
    returns: until the last one stops, the node may still take an event in
    (a live message) and leave its answer, sent by another thread, for after
    SIGCONT. Resume it with server.proc.send_signal(signal.SIGCONT)."""
    server.proc.send_signal(signal.SIGSTOP)
    tasks = f"/proc/{server.proc.pid}/task"

    def all_stopped():
        for tid in os.listdir(tasks):
            try:
                with open(os.path.join(tasks, tid, "stat")) as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
                continue
            if state != "T":
                return False
        return True
    wait_until(all_stopped, what="every thread of the node stopped")


def node_id(server):
    found = []

    def logged():
        m = re.search(r"cluster: this node is (\S+) \(", server.log())
        if m:
            found.append(m.group(1))
        return bool(found)
    wait_until(logged, what="the node's id in its log")
    return found[0]


class ClusterFixture(HubTestCase):
    """A fresh database per test; nodes with a short lease on it."""

    def setUp(self):
        self.url = PG.create_database()
        self.database = self.url.rsplit("/", 1)[1]

    def node(self, *extra):
        return Server("--database", self.url, "--cluster-lease", str(LEASE), *extra)

    def sql(self, query):
        return PG.psql(query, self.database).strip()

    @contextlib.contextmanager
    def transaction_held_open(self, statement):
        """Runs statement in a transaction of a psql session of its own and
        keeps it open (its row locks held) until the block ends; then rolls
        it back."""
        psql = subprocess.Popen(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", self.url], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        try:
            psql.stdin.write(f"BEGIN;\n{statement};\n\\echo held\n")
            psql.stdin.flush()
            self.assertEqual(psql.stdout.readline().strip(), "held", "the statement failed")
            yield
        finally:
            psql.communicate("ROLLBACK;\n", timeout=30)

    def live_ids(self):
        return set(self.sql("SELECT node_id FROM cluster_nodes WHERE lease_until >= now()").split())
