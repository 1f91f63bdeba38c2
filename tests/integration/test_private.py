"""Private sessions (docs/MESSAGING.md#private-sessions): consent, a direct TCP
connection between the two clients (messages arrive while the server is
SIGSTOPped), stopping from either side, logout ending the session, and every
error case."""
import re
import signal
import socket
import unittest

import private_peer
from harness import Server


def open_session(alice, bob, cipher="aes256gcm"):
    """alice asks, bob accepts; returns once both clients report the session
    and the cipher they negotiated (AES-256-GCM between two default clients)."""
    alice.command("startprivate bob", r"^Asked bob to accept a private session; waiting for the answer$")
    bob.expect(r"^alice asks for a private session: type 'accept alice' or 'decline alice'$")
    bob.send("accept alice")
    # The reply and the session starting may print in either order: the
    # client prints events at once, replies when the command completes.
    wanted = {"Private session with alice (127.0.0.1) accepted; waiting for alice to connect",
              f"Private session with alice started ({cipher})"}
    while wanted:
        wanted.discard(bob.expect(r"^Private session with alice ").string)
    alice.expect(rf"^Private session with bob started \({cipher}\)$")


class PrivateSessions(unittest.TestCase):
    def test_messages_go_direct_while_server_is_stopped(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            open_session(alice, bob)
            server.proc.send_signal(signal.SIGSTOP)
            try:
                alice.send("private bob hello while the server sleeps")
                bob.expect(r"^alice\(private\): hello while the server sleeps$")
                bob.send("private alice and back")
                alice.expect(r"^bob\(private\): and back$")
            finally:
                server.proc.send_signal(signal.SIGCONT)
            # The server is fine afterwards and was not in the path.
            alice.command("message bob via server", r"^Message sent to bob$")
            bob.expect(r"^alice: via server$")
            self.assertEqual(alice.finish(), 0)
            self.assertEqual(bob.finish(), 0)

    def test_consent_refused(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            alice.command("startprivate bob", r"^Asked bob")
            bob.expect(r"^alice asks for a private session")
            bob.command("decline alice", r"^You declined alice's private session request$")
            alice.expect(r"^bob declined your private session request$")
            alice.command("private bob anyone?", r"^No private session with bob: start one with startprivate bob$")
            bob.command("accept alice", r"^alice has not asked you for a private session$")
            bob.command("decline alice", r"^alice has not asked you for a private session$")
            alice.command("stopprivate bob", r"^You have no private session with bob$")

    def test_stop_from_requester_side(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            open_session(alice, bob)
            alice.command("stopprivate bob", r"^Private session with bob stopped$")
            bob.expect(r"^Private session with alice ended$")
            bob.command("private alice still there?", r"^No private session with alice: start one with startprivate alice$")
            alice.command("private bob hello?", r"^No private session with bob")
            # A new session can be opened afterwards.
            open_session(alice, bob)
            bob.send("private alice again")
            alice.expect(r"^bob\(private\): again$")

    def test_stop_from_accepter_side(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            open_session(alice, bob)
            bob.command("stopprivate alice", r"^Private session with alice stopped$")
            alice.expect(r"^Private session with bob ended$")
            # bob is online and only ended the session (issue 13 bug 3): nothing "is gone".
            alice.command("private bob x", r"^No private session with bob: start one with startprivate bob$")
            bob.command("stopprivate alice", r"^You have no private session with alice$")

    def test_logout_ends_the_session(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            carol = server.client("carol")
            open_session(alice, bob)
            self.assertEqual(alice.finish(), 0)
            bob.expect(r"^Private session with alice ended$")
            bob.command("private alice hello?", r"^No private session with alice: start one with startprivate alice$")
            # The server forgot the session too: bob may ask carol, and alice
            # (logged in again) may ask bob anew.
            alice = server.client("alice")
            open_session(alice, bob)
            carol.finish()

    def test_killed_peer_ends_the_session(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            open_session(alice, bob)
            alice.kill9()
            bob.expect(r"^Private session with alice ended$")
            bob.command("private alice x", r"^No private session with alice: start one with startprivate alice$")

    def test_errors(self):
        with Server() as server:
            alice = server.client("alice")
            alice.command("startprivate alice", r"^You cannot start a private session with yourself$")
            alice.command("startprivate nobody", r"^nobody is not a known user$")
            alice.command("startprivate bob", r"^bob is offline$")
            alice.command("private bob hi", r"^No private session with bob")
            alice.command("private bob", r"^Usage: private USER TEXT$")
            alice.command("stopprivate bob", r"^You have no private session with bob$")
            bob = server.client("bob")
            open_session(alice, bob)
            alice.command("startprivate bob", r"^You already have a private session with bob$")

    def test_raw_peer_must_present_the_token(self):
        """A device speaking the wire protocol by hand (docs/MESSAGING.md,
        tests/integration/private_peer.py): the listener refuses a wrong
        token and accepts the right one; every line after the handshake is
        an encrypted record."""
        with Server() as server:
            bob = server.client("bob")
            alice = server.raw()  # kept: alice stays logged in
            keys, (host, port, token, bob_key) = private_peer.ask_by_hand(alice, bob)
            wrong = socket.create_connection((host, int(port)), timeout=10)
            wrong.sendall(f"EDGEHUB-PRIVATE/2 alice {'0' * 32}\n".encode())
            self.assertTrue(wrong.makefile("rb").readline().startswith(b"ERR "))
            wrong.close()
            records = private_peer.connect("alice", "bob", host, port, token, keys, bob_key)
            bob.expect(r"^Private session with alice started \(aes256gcm\)$")  # no offer from alice: the default
            records.send("MSG typed by hand")
            bob.expect(r"^alice\(private\): typed by hand$")
            bob.send("private alice answer")
            self.assertEqual(records.receive(), "MSG answer")
            records.send("BYE")
            bob.expect(r"^Private session with alice ended$")
            records.sock.close()

if __name__ == "__main__":
    unittest.main()
