"""Several edgehubd nodes on one PostgreSQL database (docs/CLUSTER.md).
The node registry and its lease: each node has a row in cluster_nodes that
it renews every lease/3; a node killed with SIGKILL is dead for the others
within lease + lease/3 (the documented bound); a node that stops cleanly
removes its row at once; SQLite (one node) has no registry at all.
Logins across nodes: an account logs in on one node at a time, decided by
the database; logout and disconnect free it; a dead node's accounts are
free again once its lease is over."""
import os
import re
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness import HubTestCase, Server, raw_login, reply_to, run_edgehubd, wait_until
from cluster_fixture import BOUND, LEASE, SCHEDULING_SLACK, ClusterFixture, node_id, setUpModule, tearDownModule  # noqa: F401
from postgres_database import TEST_POSTGRES


class ClusterTest(ClusterFixture):
    def test_nodes_register_and_see_each_other(self):
        with self.node() as a, self.node() as b:
            ida, idb = node_id(a), node_id(b)
            self.assertNotEqual(ida, idb)
            self.assertEqual(self.live_ids(), {ida, idb})
            wait_until(lambda: f"cluster: node {idb} (" in a.log(), what="A sees B")
            self.assertRegex(self.sql(f"SELECT addresses FROM cluster_nodes WHERE node_id = '{ida}'"),
                             rf"^device=127\.0\.0\.1:{a.port}$|^device=0\.0\.0\.0:{a.port}$")

    def test_the_lease_is_renewed(self):
        with self.node() as a:
            ida = node_id(a)
            query = f"SELECT lease_until FROM cluster_nodes WHERE node_id = '{ida}'"
            first = self.sql(query)
            # Three renewals' worth of moving forward, while the lease itself
            # is only two seconds long: the row stays live throughout.
            seen = {first}
            wait_until(lambda: seen.add(self.sql(query)) or len(seen) >= 4, what="three renewals")
            self.assertIn(ida, self.live_ids())

    def test_a_killed_node_is_dead_for_the_others_within_the_bound(self):
        with self.node() as a, self.node() as b:
            ida, idb = node_id(a), node_id(b)
            wait_until(lambda: f"cluster: node {idb} (" in a.log(), what="A sees B")
            b.kill9()
            killed = time.monotonic()
            wait_until(lambda: f"cluster: node {idb} is gone" in a.log(), timeout=BOUND + SCHEDULING_SLACK,
                       what="A drops B within the bound")
            took = time.monotonic() - killed
            self.assertIn(f"cluster: node {idb} (device=", a.log())
            self.assertRegex(a.log(), rf"cluster: node {re.escape(idb)} \(.*\) is dead: its lease ran out")
            self.assertEqual(self.live_ids(), {ida})
            self.assertEqual(self.sql(f"SELECT count(*) FROM cluster_nodes WHERE node_id = '{idb}'"), "0",
                             "the dead node's row is reaped")
            print(f"node death seen after {took:.2f} s (bound {BOUND:.2f} s)")

    def test_a_stopped_node_leaves_at_once(self):
        with self.node() as a:
            ida = node_id(a)
            b = self.node()
            idb = node_id(b)
            wait_until(lambda: f"cluster: node {idb} (" in a.log(), what="A sees B")
            self.assertEqual(b.stop(), 0)
            self.assertEqual(self.live_ids(), {ida}, "the row is removed before the process ends")
            self.assertIn(f"cluster: node {idb} left the cluster", b.log())
            wait_until(lambda: f"cluster: node {idb} is gone" in a.log(), what="A drops B")
            self.assertNotIn("is dead", a.log())

    def test_a_node_restarted_after_kill9_takes_its_logins_back_at_once(self):
        with self.node() as a:
            ida = node_id(a)
            self.raw_login(a, "alice")
            wait_until(lambda: self.sql("SELECT count(*) FROM cluster_sessions WHERE account = 'alice'") == "1",
                       what="alice's claim")
            a.kill9()
            a.start()  # the same data directory, long before the old run's lease ends
            runs = lambda: re.findall(r"cluster: this node is (\S+) \(", a.log())  # noqa: E731
            wait_until(lambda: len(runs()) == 2, what="the restarted node's id in its log")
            self.assertEqual(set(runs()), {ida}, "the id is kept in the data directory")
            self.assertIn("the logins of this node's previous run are released", a.log())
            self.raw_login(a, "alice")  # not 409

    def test_a_chosen_node_id_is_refused_while_a_running_node_holds_it(self):
        """--cluster-node-id (docs/CLUSTER.md#choosing-node-ids): the id is
        used as given; a second process given the same id by mistake exits
        with a clear error and takes nothing from the running node; once
        that node is killed, the id moves to another data directory, which
        takes the dead run's logins back at once."""
        chosen = "hub-a.eu_1"
        a = self.node("--cluster-node-id", chosen)
        with a:
            self.assertEqual(node_id(a), chosen)
            alice = self.raw_login(a, "alice")
            claim = "SELECT count(*) FROM cluster_sessions WHERE account = 'alice'"
            wait_until(lambda: self.sql(claim) == "1", what="alice's claim")
            status, _out, err = run_edgehubd("--port", "0", "--database", self.url, "--cluster-node-id", chosen)
            self.assertEqual(status, 1, err)
            self.assertIn(f"node id {chosen} is in use", err)
            self.assertEqual(self.live_ids(), {chosen})
            self.assertEqual(self.sql(claim), "1", "the running node keeps its logins")
            self.assertEqual(reply_to(alice, "AED"), ["+OK no other active edge devices"])
            a.kill9()
            with self.node("--cluster-node-id", chosen) as moved:
                self.assertEqual(node_id(moved), chosen)
                self.assertIn("the logins of this node's previous run are released", moved.log())
                self.raw_login(moved, "alice")  # not 409
                self.assertFalse(os.path.exists(os.path.join(moved.data_dir, "cluster-node-id")),
                                 "a chosen id is not written to the data directory")

    def test_a_node_id_must_be_plain_text(self):
        for bad in ("", "two words", "a/b", "x" * 64, "caf\u00e9"):
            status, _out, err = run_edgehubd("--port", "0", "--cluster-node-id", bad)
            self.assertEqual(status, 2, f"{bad!r}: {err}")
            self.assertIn("--cluster-node-id", err)

    @unittest.skipIf(TEST_POSTGRES, "the suite's PostgreSQL mode gives every Server a database")
    def test_every_database_connection_of_a_node_has_tcp_keepalive(self):
        """So that a database host gone without closing its connections is
        noticed in seconds, the idle LISTEN connection's included
        (docs/CLUSTER.md#node-failure-and-database-outages)."""
        port = urllib.parse.urlsplit(self.url).port
        with self.node() as a:
            node_id(a)  # started, its connections open
            fds = os.listdir(f"/proc/{a.proc.pid}/fd")
            inodes = set()
            for fd in fds:
                try:
                    target = os.readlink(f"/proc/{a.proc.pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:["):-1])
            ss = subprocess.run(["ss", "-tnoe", "state", "established", f"( dport = :{port} )"],
                                capture_output=True, text=True, check=True).stdout
            mine = [line for line in ss.splitlines() if re.search(r"\bino:(\d+)", line)
                    and re.search(r"\bino:(\d+)", line).group(1) in inodes]
            # The store's, the CLUSTER thread's and the LISTEN thread's.
            self.assertGreaterEqual(len(mine), 3, ss)
            for line in mine:
                # Time to the next probe: at most keepalives_idle (10 s), not
                # the kernel's default of two hours (libpq's keepalives are
                # on by default, with the system's timings).
                m = re.search(r"timer:\(keepalive,([\d.]+)(ms|sec|min)", line)
                self.assertIsNotNone(m, line)
                seconds = float(m.group(1)) * {"ms": 0.001, "sec": 1, "min": 60}[m.group(2)]
                self.assertLessEqual(seconds, 10, line)

    def test_sqlite_has_no_registry(self):
        with Server() as single:
            client = self.client(single, "alice")
            client.command("AED", r"no other active edge devices")
            self.assertEqual(client.finish(), 0)
            self.assertNotIn("cluster:", single.log())

    def test_the_lease_must_be_a_sane_number_of_seconds(self):
        for bad in ("0", "-1", "3601", "abc"):
            status, _out, err = run_edgehubd("--port", "0", "--cluster-lease", bad)
            self.assertEqual(status, 2, err)
            self.assertIn("--cluster-lease", err)


class ClusterLoginTest(ClusterFixture):
    def logins(self):
        return self.sql("SELECT account || '@' || node_id FROM cluster_sessions ORDER BY account").split()

    def test_the_same_account_on_two_nodes_concurrently_one_wins_every_time(self):
        with self.node() as a, self.node() as b:
            password = a.credentials["alice"]
            for attempt in range(100):
                conns = [a.raw(), b.raw()]
                for conn in conns:
                    conn.expect(r"^\+OK EDGEHUB/\d+ ")
                start = threading.Barrier(2)

                def send(conn):
                    start.wait()
                    conn.send(f"login alice {password}\n")
                senders = [threading.Thread(target=send, args=(conn,)) for conn in conns]
                for t in senders:
                    t.start()
                for t in senders:
                    t.join()
                replies = [conn.expect(r"^(\+OK Welcome|-ERR)") for conn in conns]
                winners = [i for i, r in enumerate(replies) if r.startswith("+OK Welcome")]
                self.assertEqual(len(winners), 1, f"attempt {attempt}: {replies}")
                loser = replies[1 - winners[0]]
                self.assertEqual(loser, "-ERR 409 alice is already logged in", f"attempt {attempt}")
                self.assertEqual(len(self.logins()), 1)
                winner = conns[winners[0]]
                self.assertEqual(reply_to(winner, "OUT"), ["+OK Bye, alice!"])
                for conn in conns:
                    conn.close()
            self.assertEqual(self.logins(), [])

    def test_logout_frees_the_account_on_every_node_at_once(self):
        with self.node() as a, self.node() as b:
            ida = node_id(a)
            alice = raw_login(a, "alice")  # noqa: F841 (kept open)
            self.assertEqual(self.logins(), [f"alice@{ida}"])
            refused = b.raw()
            refused.expect(r"^\+OK EDGEHUB/")
            self.assertEqual(reply_to(refused, f"login alice {a.credentials['alice']}"),
                             ["-ERR 409 alice is already logged in"])
            self.assertEqual(reply_to(alice, "OUT"), ["+OK Bye, alice!"])
            # No waiting: Bye came after the database let go of the name.
            self.assertRegex(reply_to(refused, f"login alice {a.credentials['alice']}")[0],
                             r"^\+OK Welcome to edgehub, alice!")

    def test_a_dropped_connection_frees_the_account(self):
        with self.node() as a, self.node() as b:
            raw_login(a, "alice").close()
            wait_until(lambda: self.logins() == [], what="alice's row removed after her connection closed")
            alice = raw_login(b, "alice")
            self.assertEqual(self.logins(), [f"alice@{node_id(b)}"])
            alice.close()

    def test_a_killed_nodes_devices_log_in_elsewhere_after_the_bound(self):
        with self.node() as a, self.node() as b:
            idb = node_id(b)
            on_b = [raw_login(b, "alice"), raw_login(b, "bob")]
            wait_until(lambda: f"cluster: node {idb} (" in a.log(), what="A sees B")
            b.kill9()
            wait_until(lambda: f"cluster: node {idb} is gone" in a.log(), timeout=BOUND + SCHEDULING_SLACK,
                       what="A drops B within the bound")
            devices = [raw_login(a, "alice"), raw_login(a, "bob")]
            ida = node_id(a)
            self.assertEqual(self.logins(), [f"alice@{ida}", f"bob@{ida}"])
            for device in devices + on_b:
                device.close()

    def test_a_stopped_node_frees_its_accounts(self):
        with self.node() as a:
            b = self.node()
            alice = raw_login(b, "alice")
            self.assertEqual(b.stop(), 0)
            self.assertEqual(self.logins(), [])
            raw_login(a, "alice").close()
            alice.close()


if __name__ == "__main__":
    unittest.main()
