"""One hub across nodes (docs/CLUSTER.md#events-between-nodes): devices on
two edgehubd nodes that share one PostgreSQL see each other in AED,
whoelsesince, status and the LOGIN/LOGOUT events; direct messages and
broadcasts cross nodes live, once and in order; a block set on one node
holds on the other; a node whose events were cut catches up on blocks,
stored messages, broadcasts and failed logins; failed logins count
towards one lockout; a dead node's
devices leave the others' lists."""
import re
import signal
import unittest
from pathlib import Path

from cluster_fixture import BOUND, SCHEDULING_SLACK, ClusterFixture, freeze, node_id, setUpModule, tearDownModule  # noqa: F401,E501
from harness import Server, reply_to, wait_until

WRONG = r"^-ERR 401 "
BLOCKED_NOW = r"^-ERR 423 .*has been blocked"
ANY_FORM = r"!(MSG |STOREDMSG \S+ )"  # live, or stored with its time
# A message or broadcast line; presence events (!LOGIN ...) may come between,
# since each node hears of the other's logins when its events arrive.
LETTER = r"^!(STORED)?(MSG|BCAST) "


def device_log(node):
    return Path(node.data_dir, "edge-device-log.txt").read_text()


def aed_names(conn):
    """The names AED lists on conn (not conn's own)."""
    reply = reply_to(conn, "AED")
    return [line.split(",", 1)[0] for line in reply[1:]]


class TwoNodes(ClusterFixture):
    def alice_and_bob(self, a, b):
        """alice logged in on node a, then bob on node b; returns both once
        a has told alice of bob (a lists bob)."""
        alice = self.raw_login(a, "alice")
        bob = self.raw_login(b, "bob")
        alice.expect(r"^!LOGIN bob$")
        return alice, bob


class ClusterPresenceTest(TwoNodes):
    def test_devices_on_two_nodes_see_each_other_and_their_logins_and_logouts(self):
        with self.node() as a, self.node() as b:
            alice, bob = self.alice_and_bob(a, b)
            self.assertEqual(aed_names(alice), ["bob"])
            # B may hear of alice's login only now (A sends its events on its
            # own thread): wait for it rather than race it.
            wait_until(lambda: aed_names(bob) == ["alice"], what="alice listed on bob's node")
            self.assertRegex(reply_to(alice, "AED")[1], r"^bob, 127\.0\.0\.1, -, active since ")
            self.assertEqual(reply_to(alice, "whoelsesince 60")[1:], ["bob"])
            self.assertEqual(reply_to(bob, "OUT"), ["+OK Bye, bob!"])
            alice.expect(r"^!LOGOUT bob$")
            self.assertEqual(aed_names(alice), [])
            self.assertEqual(reply_to(alice, "whoelsesince 60")[1:], ["bob"], "bob was online a moment ago")
            status = reply_to(alice, "status")
            self.assertTrue(any(re.match(r"^bob, 127\.0\.0\.1, connected .*, disconnected ", s) for s in status),
                            status)

    def test_a_node_started_later_lists_who_is_online_elsewhere(self):
        with self.node() as a:
            self.raw_login(a, "alice")
            with self.node() as b:
                bob = self.raw_login(b, "bob")
                self.assertEqual(aed_names(bob), ["alice"])
                wait_until(lambda: "; alice; " in device_log(b),
                           what="alice in the later node's device log")

    def test_a_starting_node_closes_only_the_logins_no_running_node_holds(self):
        open_rows = lambda: self.sql(  # noqa: E731
            "SELECT string_agg(name, ',' ORDER BY name) FROM logins WHERE logout_unix IS NULL")
        with self.node() as a:
            self.raw_login(a, "alice")
            wait_until(lambda: open_rows() == "alice", what="alice's open login in the history")
            with self.node() as b:
                self.raw_login(b, "bob")
                wait_until(lambda: open_rows() == "alice,bob", what="bob's open login")
                b.kill9()  # bob's row is left open, as a crash leaves it
                with self.node() as c:  # another node: alice's node runs, bob's is dead
                    self.raw_login(c, "carol")
                    wait_until(lambda: open_rows() == "alice,carol", what="carol's open login")
                b.start()  # alice stays open, carol's node has stopped and closed hers
                self.assertEqual(open_rows(), "alice")

    def test_the_device_log_lists_the_whole_cluster(self):
        with self.node() as a, self.node() as b:
            alice, _bob = self.alice_and_bob(a, b)
            for node in (a, b):
                wait_until(lambda: {"alice", "bob"} <= set(re.findall(r"; (alice|bob); ", device_log(node))),
                           what="both devices in each node's device log")

    def test_a_killed_nodes_devices_leave_the_other_nodes_lists(self):
        with self.node() as a, self.node() as b:
            idb = node_id(b)
            alice, _bob = self.alice_and_bob(a, b)
            b.kill9()
            alice.expect(r"^!LOGOUT bob$", timeout=BOUND + SCHEDULING_SLACK)
            self.assertIn(f"device(s) of node {idb} are gone with it", a.log())
            self.assertEqual(aed_names(alice), [])


class ClusterMessagesTest(TwoNodes):
    def rows_ever_stored(self):
        """Offline rows ever inserted: their id sequence (nextval is not
        rolled back, so a stored and then delivered row counts too)."""
        return self.sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM offline_messages_id_seq")

    def test_direct_messages_cross_nodes_live_once_and_in_order(self):
        with self.node() as a, self.node() as b:
            alice, bob = self.alice_and_bob(a, b)
            wait_until(lambda: aed_names(bob) == ["alice"], what="alice listed on bob's node")
            self.assertEqual(reply_to(alice, "message bob hello bob"), ["+OK Message sent to bob"])
            # Live, without waiting for a login. A message that reaches the
            # store while bob's node is still delivering his login's backlog
            # is shown in stored form (docs/MESSAGING.md#events): either form
            # counts, once each and in order.
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice hello bob$")
            stored_before = self.rows_ever_stored()
            for n in range(30):
                alice.send(f"message bob number {n}\n")
            for n in range(30):
                self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice number {n}$")
            # bob's backlog was delivered before: the 30 went live, in
            # cluster events, none through the store (docs/CLUSTER.md#messages-across-nodes).
            self.assertEqual(self.rows_ever_stored(), stored_before, "stored instead of sent live")
            self.assertEqual(reply_to(bob, "message alice back"), ["+OK Message sent to alice"])
            self.assertRegex(alice.expect(LETTER), rf"^{ANY_FORM}bob back$")
            # Delivered once: nothing is left in the store, and a marker sent
            # after everything is the next line bob reads.
            wait_until(lambda: self.sql("SELECT count(*) FROM offline_messages") == "0",
                       what="the delivered rows deleted")
            reply_to(alice, "message bob marker")
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice marker$")

    def test_a_message_its_recipients_node_does_not_answer_for_is_stored_and_delivered_once(self):
        """The node holding bob is stopped (SIGSTOP) before alice's live
        message is sent: once its lease has run out (2 s here) alice's node
        stores the message, 3.5 s after sending it; bob's node, running
        again, declines the stale event (older than 2.5 s) and delivers the
        stored copy, once (docs/CLUSTER.md#messages-across-nodes). The test
        waits until every thread of bob's node has stopped: a node still
        running when the event came would queue it live and answer only
        after SIGCONT, too late, and bob would get it twice (the case of a
        node that stops between queuing and answering, at least once)."""
        with self.node() as a, self.node() as b:
            alice, bob = self.alice_and_bob(a, b)
            wait_until(lambda: aed_names(bob) == ["alice"], what="alice listed on bob's node")
            try:
                freeze(b)
                reply = reply_to(alice, "message bob while you slept")
            finally:
                b.proc.send_signal(signal.SIGCONT)
            # bob is offline for node a now (b's lease ran out), until b rejoins.
            self.assertRegex(reply[0], r"^\+OK (Message sent to bob|bob is offline; the message is stored)")
            self.assertRegex(a.log(), r"no answer from node \S+ for a message to bob \(the node is dead\); "
                                      r"it is stored instead")
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice while you slept$")
            wait_until(lambda: re.search(r"a live message from alice to bob came \d+ ms late; declined", b.log()),
                       what="the stale event declined")
            reply_to(alice, "message bob marker")
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice marker$", "delivered twice")

    def test_a_live_message_is_answered_while_its_recipients_node_waits_on_the_database(self):
        """bob's node has a job stuck in the database: carol's login claim
        waits on a row lock held open from psql, as behind a slow or locked
        database. The node answers alice's live message at once anyway (from
        the thread that took it in, not behind the stuck job): it is not
        stored as well, and bob gets it once. Before, the answer waited in
        the same queue as the claim, alice's node gave up after 5 s and
        stored the message, and bob got it twice
        (docs/CLUSTER.md#messages-across-nodes)."""
        # A long lease: the stuck job also holds up b's lease renewal, and
        # b must not be declared dead meanwhile on a loaded machine.
        with Server("--database", self.url, "--cluster-lease", "60") as a, \
                Server("--database", self.url, "--cluster-lease", "60") as b:
            alice, bob = self.alice_and_bob(a, b)
            wait_until(lambda: aed_names(bob) == ["alice"], what="alice listed on bob's node")
            stored_before = self.rows_ever_stored()
            carols_row = ("INSERT INTO cluster_sessions (account, node_id, ip, udp_port, login_at) "
                          f"VALUES ('carol', '{node_id(a)}', '127.0.0.1', 0, now())")
            with self.transaction_held_open(carols_row):
                carol = b.raw()
                self.addCleanup(carol.close)
                carol.expect(r"^\+OK EDGEHUB/\d+ ")
                carol.send(f"login carol {b.credentials['carol']}\n")
                wait_until(lambda: self.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                            "AND query LIKE 'INSERT INTO cluster_sessions%'") == "1",
                           what="b's claim of carol waiting on the row lock")
                self.assertEqual(reply_to(alice, "message bob while your node waits"), ["+OK Message sent to bob"])
                self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice while your node waits$")
                self.assertEqual(self.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"),
                                 "1", "the claim stopped waiting before the message was answered")
            carol.expect(r"^\+OK Welcome to edgehub, carol")  # the rolled-back row is no longer in its way
            self.assertNotIn("no answer from node", a.log())
            self.assertEqual(self.rows_ever_stored(), stored_before, "stored as well as sent live")
            reply_to(alice, "message bob marker")
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice marker$", "delivered twice")

    def test_a_node_whose_events_were_cut_catches_up_on_what_it_missed(self):
        """bob's node is stopped (SIGSTOP, every thread) and its event
        connection cut (pg_terminate_backend on the session it names
        "edgehub events NODE"). Meanwhile, on the other node, carol blocks
        bob, alice's message to bob gets no answer within 5 s and is
        stored, alice broadcasts, and a login as dave fails: the events go
        to nobody. Running again, bob's node finds its connection gone,
        listens again lease/3 later and reads what the database holds: bob
        gets alice's message and her broadcast at once, each once; carol's
        block holds for bob; and dave's failure counts towards his lockout
        there (docs/CLUSTER.md#events-a-node-missed). Before, the message
        waited for bob's next login, bob could message carol until his
        node restarted, and the broadcast and the failure were lost."""
        # A lease long enough that bob's node is not declared dead while
        # it is stopped (the message's 5 s and the rest); it listens again
        # lease/3 = 8 s after it runs again.
        options = ("--cluster-lease", "24", "--max-attempts", "2", "--block-seconds", "60")
        with Server("--database", self.url, *options) as a, Server("--database", self.url, *options) as b:
            alice, bob = self.alice_and_bob(a, b)
            carol = self.raw_login(a, "carol")
            wait_until(lambda: sorted(aed_names(bob)) == ["alice", "carol"], what="carol listed on bob's node")
            listener = f"edgehub events {node_id(b)}"
            try:
                freeze(b)
                cut = self.sql("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                               f"WHERE application_name = '{listener}'")
                self.assertEqual(cut, "1", "bob's node's event connection, by its name")
                self.assertEqual(reply_to(carol, "block bob"), ["+OK bob is blocked"])
                reply = reply_to(alice, "message bob while your node was away")
                self.assertRegex(reply_to(alice, "broadcast hello while you were away")[0], r"^\+OK Broadcast sent")
                dave = self.raw(a)
                dave.expect(r"^\+OK EDGEHUB/")
                self.assertRegex(reply_to(dave, "login dave wrong")[0], WRONG)
            finally:
                b.proc.send_signal(signal.SIGCONT)
            self.assertRegex(reply[0], r"^\+OK ")
            self.assertRegex(a.log(), r"no answer from node \S+ for a message to bob")
            letters = {bob.expect(LETTER, timeout=60), bob.expect(LETTER, timeout=30)}
            self.assertEqual(len(letters), 2, letters)
            self.assertTrue(any(re.match(rf"^{ANY_FORM}alice while your node was away$", x) for x in letters), letters)
            self.assertIn("!BCAST alice hello while you were away", letters)
            self.assertIn("cluster: listening to the other nodes' events again", b.log())
            self.assertIn("cluster: 2 broadcast(s) and failed login(s) sent meanwhile; passing them on", b.log())
            # The blocks are read before the stored messages are delivered.
            self.assertEqual(reply_to(bob, "message carol hello"),
                             ["-ERR 403 Your message could not be delivered as the recipient has blocked you"])
            second = self.raw(b)
            second.expect(r"^\+OK EDGEHUB/")
            self.assertRegex(reply_to(second, "login dave wrong-again")[0], BLOCKED_NOW)
            reply_to(alice, "message bob marker")
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice marker$", "nothing twice before the marker")

    def test_a_broadcast_reaches_every_nodes_devices_once(self):
        with self.node() as a, self.node() as b:
            alice = self.raw_login(a, "alice")
            carol = self.raw_login(a, "carol")
            bob = self.raw_login(b, "bob")
            alice.expect(r"^!LOGIN bob$")
            self.assertEqual(reply_to(alice, "broadcast hello all"), ["+OK Broadcast sent to 2 devices"])
            carol.expect(r"^!BCAST alice hello all$")
            bob.expect(r"^!BCAST alice hello all$")
            reply_to(alice, "message bob marker")
            self.assertRegex(bob.expect(LETTER), rf"^{ANY_FORM}alice marker$", "no second copy before the marker")


class ClusterRulesTest(TwoNodes):
    def test_a_block_set_on_one_node_holds_on_the_other(self):
        with self.node() as a, self.node() as b:
            alice, bob = self.alice_and_bob(a, b)
            self.assertEqual(reply_to(bob, "block alice"), ["+OK alice is blocked"])
            # No event tells alice's node that the block arrived: poll its effect.
            wait_until(lambda: aed_names(alice) == [], what="bob hidden from alice on the other node")
            self.assertEqual(reply_to(alice, "message bob hi"),
                             ["-ERR 403 Your message could not be delivered as the recipient has blocked you"])
            self.assertEqual(reply_to(bob, "unblock alice"), ["+OK alice is unblocked"])
            wait_until(lambda: aed_names(alice) == ["bob"], what="bob visible to alice again")

    def test_failed_logins_on_two_nodes_count_towards_one_lockout(self):
        with self.node("--max-attempts", "2", "--block-seconds", "60") as a, \
                self.node("--max-attempts", "2", "--block-seconds", "60") as b:
            watcher = self.raw_login(b, "bob")
            first = self.raw(a)
            first.expect(r"^\+OK EDGEHUB/")
            self.assertRegex(reply_to(first, "login alice wrong")[0], WRONG)
            # Node A sends its events in order: once carol's login from A has
            # reached B, so has the failure before it.
            self.raw_login(a, "carol")
            watcher.expect(r"^!LOGIN carol$")
            second = self.raw(b)
            second.expect(r"^\+OK EDGEHUB/")
            self.assertRegex(reply_to(second, "login alice wrong-again")[0], BLOCKED_NOW)


if __name__ == "__main__":
    unittest.main()
