"""Cipher negotiation for end-to-end encrypted UVF and swarm transfers
(docs/UDP.md#14-end-to-end-encryption): each client offers its ciphers with
`udpkey KEY CIPHERS`, the hub relays the offer with the key (to clients that
gave one), and both ends pick the first cipher of a fixed order that both
offer. A device forced to XChaCha20-Poly1305 (EDGEHUB_P2P_CIPHER, as a
device without AES instructions offers) and a default one still exchange
files; before negotiation that pairing failed every transfer. Private
sessions negotiate the same way (`startprivate USER KEY CIPHERS`, `accept
USER PORT TOKEN KEY CIPHERS`; docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify)."""
import os
import re
import unittest

from eht_crypto import KeyPair
from harness import HubTestCase, Server, free_udp_port, reply_to
from test_private import open_session
from test_uvf import MB, WAIT, make_file, same_bytes

KEY = r"[0-9a-f]{64}"
BOTH = "aes256gcm,xchacha20poly1305"


def offering_login(server, name, offer=None, udp_port=None):
    """A raw login that gave `udpkey KEY [OFFER]` first, as the client does."""
    conn = server.raw()
    conn.expect(r"^\+OK EDGEHUB/\d+ ")
    conn.keys = KeyPair()
    conn.send(f"udpkey {conn.keys.hex()}" + (f" {offer}" if offer else "") + "\n")
    conn.expect(r"^\+OK UDP key registered")
    conn.send(f"login {name} {server.credentials[name]}" + (f" {udp_port}" if udp_port else "") + "\n")
    conn.expect(r"^\+OK Welcome to edgehub, " + re.escape(name))
    return conn


class CipherChoiceTest(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)  # runs last: after the clients are gone

    def test_hub_relays_an_offer_only_to_clients_that_gave_one(self):
        bob = offering_login(self.server, "bob", "xchacha20poly1305", udp_port=free_udp_port())
        carol = offering_login(self.server, "carol", udp_port=free_udp_port())  # an older client: no offer
        alice = offering_login(self.server, "alice", BOTH)
        [reply] = reply_to(alice, "uvf bob 10 f.bin")
        self.assertRegex(reply, rf"^\+OK \S+ \d+ [0-9a-f]{{32}} {bob.keys.hex()}:xchacha20poly1305$")
        bob.expect(rf"^!UVF alice 10 [0-9a-f]{{32}} {alice.keys.hex()}:{BOTH} f\.bin$")
        [reply] = reply_to(alice, "uvf carol 10 f.bin")
        self.assertRegex(reply, rf"^\+OK \S+ \d+ [0-9a-f]{{32}} {carol.keys.hex()}$")
        carol.expect(rf"^!UVF alice 10 [0-9a-f]{{32}} {alice.keys.hex()} f\.bin$")  # the bare key it can read
        [reply] = reply_to(alice, f"udpkey {alice.keys.hex()} AES,x y")
        self.assertRegex(reply, r"^-ERR 400 CIPHERS must be")
        for conn in (alice, bob, carol):
            conn.close()

    def test_hub_relays_a_private_offer_only_to_clients_that_gave_one(self):
        bob = offering_login(self.server, "bob", "xchacha20poly1305")
        carol = offering_login(self.server, "carol")  # an older client: no offer
        alice = offering_login(self.server, "alice", BOTH)
        mine = KeyPair().hex()
        [reply] = reply_to(alice, f"startprivate bob {mine} {BOTH}")
        self.assertRegex(reply, r"^\+OK Asked bob")
        bob.expect(rf"^!PRIVREQ alice {mine}:{BOTH}$")
        [reply] = reply_to(alice, f"startprivate carol {mine} {BOTH}")
        self.assertRegex(reply, r"^\+OK Asked carol")
        carol.expect(rf"^!PRIVREQ alice {mine}$")  # the bare key it can read
        [reply] = reply_to(bob, f"accept alice 4000 {'ab' * 16} {bob.keys.hex()} xchacha20poly1305")
        self.assertRegex(reply, r"^\+OK Private session with alice")
        alice.expect(rf"^!PRIVSTART bob \S+ 4000 {'ab' * 16} {bob.keys.hex()}:xchacha20poly1305$")
        [reply] = reply_to(carol, f"accept alice 4000 {'cd' * 16} {carol.keys.hex()} AES,x")
        self.assertRegex(reply, r"^-ERR 400 CIPHERS must be")
        [reply] = reply_to(alice, f"startprivate dave {mine} AES!")
        self.assertRegex(reply, r"^-ERR 400 CIPHERS must be")
        for conn in (alice, bob, carol):
            conn.close()

    def test_xchacha_only_and_default_clients_talk_privately(self):
        forced = dict(os.environ, EDGEHUB_P2P_CIPHER="xchacha20poly1305")
        alice = self.client(self.server, "alice", env=forced)
        bob = self.client(self.server, "bob")
        open_session(alice, bob, cipher="xchacha20poly1305")
        alice.send("private bob sealed with xchacha")
        bob.expect(r"^alice\(private\): sealed with xchacha$")
        bob.send("private alice and back")
        alice.expect(r"^bob\(private\): and back$")
        self.assertEqual(alice.finish(), 0)
        self.assertEqual(bob.finish(), 0)

    def test_xchacha_only_and_default_clients_exchange_files(self):
        forced = dict(os.environ, EDGEHUB_P2P_CIPHER="xchacha20poly1305")
        alice = self.client(self.server, "alice", env=forced)
        bob = self.client(self.server, "bob")
        for sender, receiver in ((alice, bob), (bob, alice)):
            with self.subTest(sender=sender.user):
                src = os.path.join(sender.cwd, f"from_{sender.user}.bin")
                make_file(src, MB + 17)
                sender.send(f"UVF {receiver.user} from_{sender.user}.bin")
                receiver.expect(rf"^Received from_{sender.user}\.bin from {sender.user}$", WAIT)
                sender.expect(rf"^from_{sender.user}\.bin has been uploaded$", WAIT)
                got = os.path.join(receiver.cwd, f"{sender.user}_from_{sender.user}.bin")
                self.assertTrue(same_bytes(src, got))
        # The swarm: the default client downloads from the forced one.
        make_file(os.path.join(alice.cwd, "s.bin"), MB + 5)
        alice.send("share s.bin")
        alice.expect(r"^shared s\.bin as [0-9a-f]{12}", WAIT)
        bob.send("p2pDownload s.bin")
        bob.expect(r"^Downloaded s\.bin \(.*\) in [\d.]+ s from 1 peer: alice 100%$", WAIT)
        self.assertTrue(same_bytes(os.path.join(alice.cwd, "s.bin"), os.path.join(bob.cwd, "s.bin")))
        self.assertEqual(alice.finish(), 0)
        self.assertEqual(bob.finish(), 0)


if __name__ == "__main__":
    unittest.main()
