"""Peer to peer across nodes (docs/CLUSTER.md#peer-to-peer-across-nodes):
a UVF ticket and a private session's requests and answers reach a device on
another edgehubd node of the same PostgreSQL; the file and the session's
messages then go straight between the two clients. Each node keeps its own
devices' side of a private session, so consent is checked on both, and a
logout on one node ends the sessions its device had with the other's."""
import re
import unittest

from cluster_fixture import ClusterFixture, setUpModule, tearDownModule  # noqa: F401
from eht_crypto import KeyPair
from harness import free_udp_port, reply_to, wait_until
from test_private import open_session
from test_uvf import KEY, MB, keyed_login, send_alice_to_bob

PK = "ab" * 32  # a well-formed public key for the raw private-session requests
TOKEN = "0123456789abcdef0123"


def lists(observer, name):
    """True once observer's node lists name (online on the other node)."""
    return any(line.startswith(name + ",") for line in reply_to(observer, "AED")[1:])


class ClusterP2P(ClusterFixture):
    def two_nodes(self):
        a, b = self.node(), self.node()
        for node in (a, b):
            self.addCleanup(node.__exit__, None, None, None)  # after the clients are gone
        return a, b

    def wait_listed(self, node, name, observer_name="dave"):
        """node lists name, with its udpkey: its login event has arrived."""
        observer = self.raw_login(node, observer_name)
        wait_until(lambda: lists(observer, name), what=f"{name} listed on the other node")

    def test_a_file_goes_peer_to_peer_to_a_device_on_the_other_node(self):
        a, b = self.two_nodes()
        bob = self.client(b, "bob")
        self.wait_listed(a, "bob")
        alice = self.client(a, "alice")
        send_alice_to_bob(self, alice, bob, 2 * MB + 17)
        self.assertEqual(alice.finish(), 0)
        self.assertEqual(bob.finish(), 0)

    def test_the_ticket_and_keys_cross_nodes_and_a_new_udpkey_follows(self):
        a, b = self.two_nodes()
        bob = keyed_login(b, "bob", udp_port=free_udp_port())
        self.addCleanup(bob.close)
        self.wait_listed(a, "bob")
        alice = keyed_login(a, "alice")
        self.addCleanup(alice.close)
        ok = reply_to(alice, "uvf bob 1000 f.bin")[0]
        m = re.match(rf"^\+OK 127\.0\.0\.1 (\d+) ([0-9a-f]{{32}}) ({KEY})$", ok)
        self.assertIsNotNone(m, ok)
        self.assertEqual(m.group(3), bob.keys.hex(), "bob's key, relayed by his node's login event")
        bob.expect(rf"^!UVF alice 1000 {m.group(2)} {alice.keys.hex()} f\.bin$")
        # A new udpkey given after the login reaches the other node too.
        new = KeyPair()
        self.assertEqual(reply_to(bob, f"udpkey {new.hex()}"), ["+OK UDP key registered"])
        wait_until(lambda: reply_to(alice, "uvf bob 1 g.bin")[0].endswith(" " + new.hex()),
                   what="bob's new udpkey on alice's node")

    def test_a_blocked_sender_is_refused_across_nodes(self):
        a, b = self.two_nodes()
        bob = keyed_login(b, "bob", udp_port=free_udp_port())
        self.addCleanup(bob.close)
        self.assertEqual(reply_to(bob, "block alice")[0][:3], "+OK")
        self.wait_listed(a, "bob")
        alice = keyed_login(a, "alice")
        self.addCleanup(alice.close)
        wait_until(lambda: reply_to(alice, "uvf bob 10 f.bin")[0].startswith("-ERR 403 "),
                   what="bob's block on alice's node")
        self.assertTrue(reply_to(alice, "startprivate bob " + PK)[0].startswith("-ERR 403 "))

    def test_private_requests_answers_and_stops_cross_nodes_with_consent_on_both(self):
        a, b = self.two_nodes()
        bob = self.raw_login(b, "bob")
        self.wait_listed(a, "bob")
        alice = self.raw_login(a, "alice")
        # Declined: bob's node forgets the request, and alice hears of it.
        self.assertRegex(reply_to(alice, "startprivate bob " + PK)[0], r"^\+OK Asked bob")
        bob.expect(rf"^!PRIVREQ alice {PK}$")
        self.assertRegex(reply_to(bob, "decline alice")[0], r"^\+OK You declined")
        alice.expect(r"^!PRIVDECLINED bob$")
        self.assertRegex(reply_to(bob, f"accept alice 7000 {TOKEN} {PK}")[0], r"^-ERR 404 alice has not asked you")
        # Accepted: alice gets bob's address, port, token and key.
        reply_to(alice, "startprivate bob " + PK)
        bob.expect(r"^!PRIVREQ alice ")
        self.assertRegex(reply_to(bob, f"accept alice 7000 {TOKEN} {PK}")[0], r"^\+OK Private session with alice")
        alice.expect(rf"^!PRIVSTART bob 127\.0\.0\.1 7000 {TOKEN} {PK}$")
        self.assertRegex(reply_to(alice, "startprivate bob " + PK)[0], r"^-ERR 409 You already have a private session")
        # Stopped on alice's node: bob's node knows the session is over.
        self.assertRegex(reply_to(alice, "stopprivate bob")[0], r"^\+OK Private session with bob stopped")
        bob.expect(r"^!PRIVSTOP alice$")
        self.assertRegex(reply_to(bob, "stopprivate alice")[0], r"^-ERR 404 You have no private session")

    def test_a_logout_on_one_node_ends_the_session_and_requests_on_the_other(self):
        a, b = self.two_nodes()
        bob = self.raw_login(b, "bob")
        carol = self.raw_login(b, "carol")
        self.wait_listed(a, "bob")
        alice = self.raw_login(a, "alice")
        reply_to(alice, "startprivate bob " + PK)
        bob.expect(r"^!PRIVREQ alice ")
        reply_to(bob, f"accept alice 7000 {TOKEN} {PK}")
        alice.expect(r"^!PRIVSTART bob ")
        reply_to(alice, "startprivate carol " + PK)
        carol.expect(r"^!PRIVREQ alice ")
        self.assertEqual(reply_to(alice, "OUT"), ["+OK Bye, alice!"])
        bob.expect(r"^!PRIVSTOP alice$")
        carol.expect(r"^!PRIVCANCEL alice$")
        self.assertRegex(reply_to(carol, f"accept alice 7000 {TOKEN} {PK}")[0], r"^-ERR 404 ")

    def test_real_clients_hold_a_private_session_across_nodes(self):
        a, b = self.two_nodes()
        bob = self.client(b, "bob")
        self.wait_listed(a, "bob")
        alice = self.client(a, "alice")
        open_session(alice, bob)
        alice.send("private bob hello from node A")
        bob.expect(r"^alice\(private\): hello from node A$")
        bob.command("stopprivate alice", r"^Private session with alice stopped$")
        alice.expect(r"^Private session with bob ended$")
        alice.command("private bob x", r"^No private session with bob: start one with startprivate bob$")
        self.assertEqual(alice.finish(), 5, "the refused private message is a failed command")
        self.assertEqual(bob.finish(), 0)


if __name__ == "__main__":
    unittest.main()
