"""Nothing acknowledged is lost across nodes (docs/CLUSTER.md#node-failure-and-database-outages):
a node killed with SIGKILL while it stores 1,000 offline messages, and
the database stopped for 10 s under load. Every message whose "stored"
answer reached its sender is delivered exactly once, in order, when its
recipient logs in on another node; the nodes recover by themselves. A
login that finds the database gone turns the node's greeting to 503 at
once. A network cut between a node and the database (packets dropped,
no reset) is noticed, and heals by itself."""
import re
import threading
import time
import unittest
import urllib.parse

import cluster_fixture
import network_cut
from cluster_fixture import BOUND, LEASE, SCHEDULING_SLACK, ClusterFixture, node_id, setUpModule, tearDownModule  # noqa: F401
from harness import Server, raw_login, reply_to, wait_until
from tcp_relay import TcpRelay

STORED = "is offline; the message is stored"
OUTAGE = 10  # seconds the database is stopped: the scenario, not a wait for an event
DATABASE_AWAY = "-ERR 503 The cluster's database cannot be reached; try again later"


def greeting(node):
    """The first line a new connection to node reads."""
    conn = node.raw()
    try:
        return conn.line() or ""
    finally:
        conn.close()


def numbered(n):
    return f"m{n:05d}"


class Delivered:
    """What bob receives after logging in: the numbers of alice's messages,
    read until his OUT is answered once the store holds nothing for him."""

    def __init__(self, test, node):
        self.test = test
        self.bob = None

        def logged_in():
            # Right after an outage a node's first use of a connection the
            # database closed fails: 503, "try again later", as documented.
            conn = test.raw(node)
            conn.expect(r"^\+OK EDGEHUB/\d+ ")
            conn.send(f"login bob {node.credentials['bob']}\n")
            if conn.expect(r"^[+-]").startswith("+OK Welcome"):
                self.bob = conn
            return self.bob is not None
        wait_until(logged_in, timeout=60, what="bob logged in on the other node")

    def read_all(self):
        wait_until(lambda: self.test.sql("SELECT count(*) FROM offline_messages WHERE recipient = 'bob'") == "0",
                   timeout=60, what="every stored message for bob delivered and deleted")
        self.bob.send("OUT\n")
        numbers = []
        while True:
            line = self.bob.line()
            self.test.assertIsNotNone(line, "connection closed before Bye")
            if line.startswith("+OK Bye"):
                return numbers
            m = re.search(r"^!(?:MSG|STOREDMSG \S+) alice m(\d{5})$", line)
            if m:
                numbers.append(int(m.group(1)))


class ClusterDurability(ClusterFixture):
    def check_exactly_once_in_order(self, acknowledged, delivered, sent):
        self.assertEqual(len(delivered), len(set(delivered)), "no message twice")
        self.assertEqual(delivered, sorted(delivered), "in the order they were sent")
        missing = sorted(set(acknowledged) - set(delivered))
        self.assertEqual(missing, [], "every acknowledged message delivered")
        self.assertTrue(set(delivered) <= set(range(sent)), "nothing that was not sent")

    def test_a_node_killed_while_storing_1000_messages_loses_none_it_acknowledged(self):
        with self.node() as a, self.node() as b:
            ida = node_id(a)
            alice = raw_login(a, "alice")
            self.addCleanup(alice.close)
            observer = self.raw_login(b, "carol")
            # Pipelined: the answers come in order, one per message.
            alice.send("".join(f"message bob {numbered(n)}\n" for n in range(1000)))
            acknowledged = []
            while True:
                line = alice.line()
                if line is None:
                    break
                if STORED in line:
                    acknowledged.append(len(acknowledged))
                    if len(acknowledged) == 300:
                        a.kill9()
            self.assertGreaterEqual(len(acknowledged), 300)
            self.assertLess(len(acknowledged), 1000, "killed before it answered every message")
            wait_until(lambda: f"cluster: node {ida} is gone" in b.log(), timeout=BOUND + SCHEDULING_SLACK,
                       what="B drops the killed node within the lease bound")
            wait_until(lambda: all(not l.startswith("alice,") for l in reply_to(observer, "AED")[1:]),
                       what="alice no longer listed on B")
            delivered = Delivered(self, b).read_all()
            self.check_exactly_once_in_order(acknowledged, delivered, 1000)

    def test_the_database_stopped_for_ten_seconds_under_load_loses_nothing_acknowledged(self):
        if cluster_fixture.PG.state is None:
            self.skipTest("the suite's shared PostgreSQL: only this module's own server may be stopped")
        with self.node() as a, self.node() as b:
            alice = self.raw_login(a, "alice")
            carol = self.raw_login(b, "carol")
            acknowledged, refused, sent = [], [], [0]
            stop_sending = threading.Event()

            def send_one_at_a_time():
                while not stop_sending.is_set():
                    n = sent[0]
                    sent[0] += 1
                    answer = reply_to(alice, f"message bob {numbered(n)}", timeout=120)[0]
                    if STORED in answer:
                        acknowledged.append(n)
                    else:
                        refused.append((n, answer))

            sender = threading.Thread(target=send_one_at_a_time)
            sender.start()
            try:
                wait_until(lambda: len(acknowledged) >= 50, what="messages stored before the outage")
                cluster_fixture.PG.pause()
                stopped = time.monotonic()
                wait_until(lambda: refused, timeout=60, what="a message refused while the database is away")
                # New devices are turned away at the greeting, which a load
                # balancer's health check reads (contrib/haproxy).
                wait_until(lambda: greeting(a) == DATABASE_AWAY, timeout=OUTAGE,
                           what="a new connection greeted with 503 while the database is away")
                time.sleep(max(0.0, OUTAGE - (time.monotonic() - stopped)))
                cluster_fixture.PG.resume()
                wait_until(lambda: greeting(a).startswith("+OK EDGEHUB/"), timeout=60,
                           what="new connections welcome again once the database is back")
                before = len(acknowledged)
                wait_until(lambda: len(acknowledged) >= before + 50, timeout=120,
                           what="messages stored again once the database is back")
            finally:
                stop_sending.set()
                sender.join(timeout=180)
            self.assertTrue(all(answer.startswith("-ERR ") for _, answer in refused), refused[:3])
            # Both nodes still hold their devices' logins (a node whose row
            # was removed meanwhile claimed them again).
            wait_until(lambda: self.sessions() >= {f"alice@{node_id(a)}", f"carol@{node_id(b)}"}, timeout=60,
                       what="the logins held again in cluster_sessions")
            self.assertIn(reply_to(carol, "AED")[0][:1], "*+", "carol's node serves her")
            delivered = Delivered(self, b).read_all()
            self.check_exactly_once_in_order(acknowledged, delivered, sent[0])

    def test_a_login_that_finds_the_database_gone_turns_new_connections_away_at_once(self):
        """Lease rounds 20 s apart (--cluster-lease 60): the database is
        stopped and alice logs in. Her claim finds the connection gone; she
        gets the 503, and from then on new connections are greeted with it,
        without waiting for the next round (which could be 20 s away), so
        a load balancer's check drops the node sooner
        (docs/CLUSTER.md#a-node-away-from-the-database)."""
        if cluster_fixture.PG.state is None:
            self.skipTest("the suite's shared PostgreSQL: only this module's own server may be stopped")
        with Server("--database", self.url, "--cluster-lease", "60") as a:
            node_id(a)  # registered: its first round is done
            self.assertTrue(greeting(a).startswith("+OK EDGEHUB/"))
            cluster_fixture.PG.pause()
            try:
                alice = a.raw()
                self.addCleanup(alice.close)
                alice.expect(r"^\+OK EDGEHUB/")
                self.assertEqual(reply_to(alice, f"login alice {a.credentials['alice']}"), [DATABASE_AWAY])
                self.assertEqual(greeting(a), DATABASE_AWAY)
                log = a.log()
            finally:
                cluster_fixture.PG.resume()
            self.assertIn("cluster: the database cannot be reached (a login's claim: ", log)
            self.assertNotIn("(the lease round: ", log, "a round noticed first: the test proves nothing")
            wait_until(lambda: greeting(a).startswith("+OK EDGEHUB/"), timeout=60,
                       what="new connections welcome again after the next round")

    @unittest.skipUnless(network_cut.available(), "needs root and nft (nftables) to drop packets")
    def test_a_network_cut_between_a_node_and_the_database_is_noticed_and_heals(self):
        """Node A reaches the database through a port whose packets are
        then dropped (network_cut.py): no reset, no close, as when a cable
        is pulled. A notices by its connections' tcp_user_timeout and turns
        new connections away with 503; B, whose own connections are fine,
        drops A and alice, A's device, once A's lease runs out. Once packets
        flow again A registers again by itself, claims alice again, alice is
        listed on B again, and bob's message from B reaches her. The
        database sessions that A gave up on, which PostgreSQL would keep
        for hours, are ended by A's new ones, so A has its liveness lock
        back at once
        (docs/CLUSTER.md#node-failure-and-database-outages)."""
        database_port = urllib.parse.urlsplit(self.url).port
        with TcpRelay(database_port) as relay, network_cut.NetworkCut(relay.port) as link:
            with Server("--database", relay.url_for(self.url), "--cluster-lease", str(LEASE)) as a, self.node() as b:
                ida = node_id(a)
                alice = self.raw_login(a, "alice")
                bob = self.raw_login(b, "bob")
                listed_on_b = lambda: any(line.startswith("alice,") for line in reply_to(bob, "AED")[1:])  # noqa: E731
                wait_until(listed_on_b, what="alice listed on B")
                before_the_cut = relay.forwarded()
                link.cut()
                wait_until(lambda: f"cluster: node {ida} is gone" in b.log(), timeout=60, what="B dropping A")
                wait_until(lambda: not listed_on_b(), what="alice no longer listed on B")
                wait_until(lambda: greeting(a) == DATABASE_AWAY, timeout=60,
                           what="A turning new connections away while cut off")
                self.assertIn("cluster: the database cannot be reached", a.log())
                # The connections A had before the cut stay cut: A gave them
                # up, and the database still holds their sessions, with A's
                # liveness lock, until A ends them.
                link.heal(still_cut=[client for client, _ in before_the_cut])
                wait_until(lambda: greeting(a).startswith("+OK EDGEHUB/"), timeout=60,
                           what="A welcoming new connections again")
                wait_until(lambda: f"alice@{ida}" in self.sessions(), timeout=60, what="A claiming alice again")
                self.assertIn("registering again", a.log(), "B removed A's row: A must have entered again")
                wait_until(listed_on_b, timeout=60, what="alice listed on B again")
                # Each lost session (one held A's liveness lock) is ended by
                # the session that replaced it.
                old_sessions = ", ".join(str(port) for _, port in before_the_cut)
                wait_until(lambda: self.sql(f"SELECT count(*) FROM pg_stat_activity WHERE client_port IN ({old_sessions})")
                           == "0", timeout=60, what="A's sessions from before the cut ended at the database")
                reply = reply_to(bob, "message alice after the cut")
                # Live, or stored if A's event connection was still coming back.
                self.assertRegex(reply[0], rf"^\+OK (Message sent to alice$|alice {STORED})")
                alice.expect(r"^!(MSG |STOREDMSG \S+ )bob after the cut$", timeout=30)

    def sessions(self):
        return set(self.sql("SELECT account || '@' || node_id FROM cluster_sessions").split())


if __name__ == "__main__":
    unittest.main()
