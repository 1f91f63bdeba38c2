"""A dead node's logins are free at once (docs/CLUSTER.md#a-dead-nodes-logins-are-free-at-once):
each node holds a liveness lock on its database session, so a login that
meets the account held by a killed node goes through long before that
node's lease runs out; and a node whose row another node removed registers
again and claims its devices' accounts again, logging out one that another
node admitted meanwhile."""
import re
import signal
import unittest

from cluster_fixture import ClusterFixture, node_id, setUpModule, tearDownModule  # noqa: F401
from harness import Server, raw_login, reply_to, wait_until

LONG_LEASE = 3600  # no lease runs out during a test: only the liveness lock can free an account


class ClusterFailover(ClusterFixture):
    def long_lease_node(self):
        return Server("--database", self.url, "--cluster-lease", str(LONG_LEASE))

    def login_reply(self, node, name):
        """The reply to a login of name on node: "+OK Welcome..." or an error."""
        conn = self.raw(node)
        conn.expect(r"^\+OK EDGEHUB/\d+ ")
        conn.send(f"login {name} {node.credentials[name]}\n")
        return conn.expect(r"^[+-]")

    def sessions(self):
        return self.sql("SELECT account || '@' || node_id FROM cluster_sessions ORDER BY account").split()

    def test_a_killed_nodes_accounts_log_in_elsewhere_long_before_its_lease_ends(self):
        with self.long_lease_node() as a, self.long_lease_node() as b:
            ida = node_id(a)
            self.raw_login(a, "alice")
            self.assertTrue(self.login_reply(b, "alice").startswith("-ERR 409 "), "A is alive: refused")
            a.kill9()
            # PostgreSQL ends A's session once it sees the connection closed;
            # the lease (an hour) has nothing to do with it.
            wait_until(lambda: self.login_reply(b, "alice").startswith("+OK Welcome"),
                       what="alice admitted by B once A's database session is gone")
            self.assertEqual(self.sessions(), [f"alice@{node_id(b)}"])
            self.assertEqual(self.sql(f"SELECT count(*) FROM cluster_nodes WHERE node_id = '{ida}'"), "0",
                             "the dead node's row is removed with its logins")
            self.assertIn(f"cluster: node {ida} is gone", b.log(), "B learned of the death at once")

    def test_a_live_node_keeps_its_accounts(self):
        with self.long_lease_node() as a, self.long_lease_node() as b:
            self.raw_login(a, "alice")
            for _ in range(3):
                self.assertTrue(self.login_reply(b, "alice").startswith("-ERR 409 "))
            self.assertEqual(self.sessions(), [f"alice@{node_id(a)}"])

    def test_a_node_whose_row_was_removed_claims_its_logins_again(self):
        with self.node() as a, self.node() as b:
            ida = node_id(a)
            alice = self.raw_login(a, "alice")
            observer = self.raw_login(b, "bob")
            self.sql(f"DELETE FROM cluster_nodes WHERE node_id = '{ida}'")  # as if reaped
            wait_until(lambda: f"alice@{ida}" in self.sessions(), what="A claims alice again")
            self.assertRegex(a.log(), r"another node removed this node's row .*registering again")
            wait_until(lambda: any(line.startswith("alice,") for line in reply_to(observer, "AED")[1:]),
                       what="B lists alice again")
            self.assertFalse(reply_to(alice, "AED")[0].startswith("-"), "alice's login on A went on")

    def test_an_account_admitted_elsewhere_meanwhile_is_logged_out_on_the_node_that_was_away(self):
        with self.node() as a, self.node() as b:
            ida, idb = node_id(a), node_id(b)
            on_a = self.raw_login(a, "alice")
            a.proc.send_signal(signal.SIGSTOP)  # away: no round, no renewal
            try:
                self.sql(f"DELETE FROM cluster_nodes WHERE node_id = '{ida}'")
                on_b = raw_login(b, "alice")
                self.addCleanup(on_b.close)
            finally:
                a.proc.send_signal(signal.SIGCONT)
            on_a.expect(r"^!BYE You logged in on another node of this cluster$")
            self.assertTrue(on_a.closed_by_server())
            wait_until(lambda: re.search(r"alice logged in on another node while this node was away", a.log()),
                       what="A's log says why")
            self.assertEqual(self.sessions(), [f"alice@{idb}"], "B's login stands")
            self.assertFalse(reply_to(on_b, "AED")[0].startswith("-"))


if __name__ == "__main__":
    unittest.main()
