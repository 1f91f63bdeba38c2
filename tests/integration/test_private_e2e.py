"""End-to-end encryption of private sessions (issue 15;
docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify): no
plaintext on the wire, a tampered record ends the session on both sides
with nothing of it shown, `verify` prints one code on both sides, and a
client without keys is refused clearly. The Python side of the protocol
(private_peer.py) is a second implementation written from the docs."""
import socket
import unittest

import private_peer
from loopback_capture import LoopbackCapture
from harness import HubTestCase, Server
from test_private import open_session

SECRET = "the vault code is 7391 and the key is under the mat"


def raw_session_with_bob(test, server, bob):
    """A session between a hand-made alice and the real client bob: (records, bob_key, alice_key)."""
    keys, (host, port, token, bob_key) = private_peer.ask_by_hand(test.raw(server), bob)
    records = private_peer.connect("alice", "bob", host, port, token, keys, bob_key)
    test.addCleanup(records.sock.close)
    bob.expect(r"^Private session with alice started \(aes256gcm\)$")  # no offer from alice: the default
    return records, bob_key, keys.hex


class PrivateEncryption(HubTestCase):
    def test_no_plaintext_on_the_wire(self):
        try:
            capture = LoopbackCapture()
        except PermissionError:
            self.skipTest("capturing on lo needs CAP_NET_RAW (root)")
        server = Server()
        self.addCleanup(server.__exit__, None, None, None)
        try:
            bob = self.client(server, "bob")
            alice = self.client(server, "alice")
            open_session(alice, bob)
            alice.send(f"private bob {SECRET}")
            bob.expect(r"^alice\(private\): " + SECRET + "$")
            bob.send(f"private alice {SECRET[::-1]}")
            alice.expect(r"^bob\(private\): ")
        finally:
            wire = capture.stop()
        # The capture saw the direct connection (its clear hello), but no message.
        # (assertTrue/False: a failure should not print the whole capture)
        self.assertTrue(b"EDGEHUB-PRIVATE/2 alice " in wire, "the capture missed the direct connection")
        for clear in (SECRET.encode(), SECRET[::-1].encode(), b"vault code"):
            self.assertFalse(clear in wire, f"{clear!r} travelled in clear")

    def test_tampered_record_ends_the_session_on_both_sides(self):
        with Server() as server:
            bob = self.client(server, "bob")
            records, _, _ = raw_session_with_bob(self, server, bob)
            record = bytearray(records.seal(f"MSG {SECRET}"))
            record[10] ^= 0x01  # one bit of the ciphertext, as a relay on the way could
            records.sock.sendall(bytes(record))
            bob.expect(r"^Private session with alice ended: a record from alice failed authentication "
                       r"\(changed on the way\?\); nothing of it was shown$")
            self.assertEqual(records.receive(), "BYE rejected")  # alice is told, authenticated
            self.assertIsNone(records.receive())  # and bob closed
            self.assertFalse(any("vault" in line for line in bob.out.seen), bob.out.seen)
            bob.command("private alice still there?",
                        r"^No private session with alice: start one with startprivate alice$")

    def test_replayed_record_ends_the_session(self):
        with Server() as server:
            bob = self.client(server, "bob")
            records, _, _ = raw_session_with_bob(self, server, bob)
            record = records.seal("MSG once")
            records.sock.sendall(record)
            bob.expect(r"^alice\(private\): once$")
            records.sock.sendall(record)  # the same bytes again: its number is spent
            bob.expect(r"^Private session with alice ended: a record from alice failed authentication")
            self.assertEqual(bob.out.seen.count("alice(private): once"), 1)

    def test_oversized_record_ends_the_session(self):
        with Server() as server:
            bob = self.client(server, "bob")
            records, _, _ = raw_session_with_bob(self, server, bob)
            records.sock.sendall((1 << 30).to_bytes(4, "big"))
            bob.expect(r"^Private session with alice ended: a record from alice had an impossible length "
                       r"\(1073741824 bytes\)")

    def test_peer_that_rejected_a_record_is_reported(self):
        """The other side of a tampered record: the real client is told by its peer."""
        with Server() as server:
            bob = self.client(server, "bob")
            records, _, _ = raw_session_with_bob(self, server, bob)
            records.send("BYE rejected")
            bob.expect(r"^Private session with alice ended: alice received a record from you that failed "
                       r"authentication$")

    def test_substituted_key_fails_before_the_session_starts(self):
        """The listener's READY does not open when alice's key is not the
        one bob derived with (a key changed on the way)."""
        with Server() as server:
            alice = self.client(server, "alice")
            bob = self.raw_login(server, "bob")
            alice.command("startprivate bob", r"^Asked bob to accept")
            _, _, alice_key = bob.expect(r"^!PRIVREQ alice ").split(" ")
            listener = socket.create_server(("127.0.0.1", 0))
            self.addCleanup(listener.close)
            token = "ab" * 16
            bob_keys, mallory = private_peer.KeyPair(), private_peer.KeyPair()
            bob.send(f"accept alice {listener.getsockname()[1]} {token} {bob_keys.hex}\n")
            bob.expect(r"^\+OK Private session with alice")
            conn, _ = listener.accept()
            self.addCleanup(conn.close)
            line, _ = private_peer.read_line(conn)
            self.assertEqual(line, f"EDGEHUB-PRIVATE/2 alice {token}")
            rx, tx = private_peer.session_keys(mallory, alice_key, False, private_peer.context("alice", "bob", token))
            conn.sendall(b"OK bob\n" + private_peer.Records(conn, rx, tx).seal("READY"))
            alice.expect(r"^Could not open the private session with bob: its first record did not open with the "
                         r"keys agreed through the server")
            alice.command("private bob hi", r"^No private session with bob")

    def test_verify_prints_the_same_code_on_both_sides(self):
        with Server() as server:
            bob = self.client(server, "bob")
            alice = self.client(server, "alice")
            alice.command("verify bob", r"^No private session with bob: start one with startprivate bob$")
            open_session(alice, bob)
            code = r"(\d{5} \d{5} \d{5} \d{5} \d{5} \d{5})$"
            at_alice = alice.command("verify bob", r"^Verification code of your private session with bob: " + code)
            alice.expect(r"^Compare it with bob over another channel \(in person or by phone\): bob must see the "
                         r"same code\. If it differs, the keys were substituted")
            at_bob = bob.command("verify alice", r"^Verification code of your private session with alice: " + code)
            self.assertEqual(at_alice.group(1), at_bob.group(1))
            alice.command("stopprivate bob", r"^Private session with bob stopped$")
            alice.command("verify bob", r"^No private session with bob: start one with startprivate bob$")
            # A new session has new keys, hence a new code.
            bob.expect(r"^Private session with alice ended$")
            open_session(alice, bob)
            again = alice.command("verify bob", r"^Verification code of your private session with bob: " + code)
            self.assertNotEqual(again.group(1), at_alice.group(1))

    def test_verify_matches_an_independent_computation(self):
        with Server() as server:
            bob = self.client(server, "bob")
            _, bob_key, alice_key = raw_session_with_bob(self, server, bob)
            expected = private_peer.short_authentication_string(alice_key, bob_key)
            bob.command("verify alice", r"^Verification code of your private session with alice: " + expected + "$")

    def test_clients_without_keys_are_refused(self):
        with Server() as server:
            bob = self.client(server, "bob")
            old_client = self.raw_login(server, "carol")
            old_client.send("startprivate bob\n")
            old_client.expect(r"^-ERR 400 Usage: startprivate USER PUBLICKEY \[CIPHERS\]: private sessions are end-to-end "
                              r"encrypted: the edgehub client adds its public key \(update an older client\)$")
            _, (host, port, token, _) = private_peer.ask_by_hand(self.raw(server), bob)
            self.assertFalse(any(line.startswith("carol asks") for line in bob.out.seen), bob.out.seen)
            old = socket.create_connection((host, int(port)), timeout=10)
            self.addCleanup(old.close)
            old.sendall(f"EDGEHUB-PRIVATE/1 alice {token}\n".encode())
            self.assertEqual(old.makefile("rb").readline(),
                             b"ERR refused: this device speaks EDGEHUB-PRIVATE/2 (end-to-end encrypted); "
                             b"update edgehub\n")


if __name__ == "__main__":
    unittest.main()
