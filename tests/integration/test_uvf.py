"""UVF USER FILE end to end through the real edgehubd and edgehub clients
(docs/UDP.md#11-uvf-user-file-in-the-client): the server hands out a ticket,
the file goes peer to peer over EHT on the clients' UDP ports.

Where a test needs a transfer to be "still running" at some moment it
freezes one peer with SIGSTOP instead of hoping the transfer is slow."""
import os
import re
import signal
import socket
import struct
import unittest

from eht_crypto import ABORT, SYN, SYNACK, Channel, KeyPair, session_keys, syn_body
from loopback_capture import LoopbackSniffer, can_capture as can_sniff
from harness import HubTestCase, Server, free_udp_port, raw_login, reply_to, wait_until

MB = 1024 * 1024
WAIT = 60  # upper bound for one event, ASan included


def make_file(path, size):
    """Random bytes, written in pieces (never all in memory)."""
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, MB)
            f.write(os.urandom(n))
            left -= n


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(MB), fb.read(MB)
            if x != y:
                return False
            if not x:
                return True


def keyed_login(server, name, udp_port=None):
    """A raw login that gave a udpkey first, as the client does; the key pair
    is the connection's `keys` (docs/UDP.md#14-end-to-end-encryption)."""
    conn = server.raw()
    conn.expect(r"^\+OK EDGEHUB/\d+ ")
    conn.keys = KeyPair()
    conn.send(f"udpkey {conn.keys.hex()}\n")
    conn.expect(r"^\+OK UDP key registered")
    conn.send(f"login {name} {server.credentials[name]}" + (f" {udp_port}" if udp_port else "") + "\n")
    conn.expect(r"^\+OK Welcome to edgehub, " + re.escape(name))
    return conn


KEY = r"[0-9a-f]{64}"


def send_alice_to_bob(test, alice, bob, size):
    """The client alice sends data.bin (size random bytes) to the client bob
    with UVF; both report it and bob holds the same bytes."""
    src = os.path.join(alice.cwd, "data.bin")
    make_file(src, size)
    alice.send("UVF bob data.bin")
    alice.expect(r"^Sending data\.bin to bob in the background$")
    bob.expect(r"^Receiving data\.bin from alice")
    bob.expect(r"^Received data\.bin from alice$", WAIT)
    alice.expect(r"^data\.bin has been uploaded$", WAIT)
    test.assertTrue(same_bytes(src, os.path.join(bob.cwd, "alice_data.bin")))


class UvfTest(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)  # runs last: after the clients are gone

    def login(self, name, **kwargs):
        return self.client(self.server, name, **kwargs)

    def freeze(self, client):
        client.stop_signal(signal.SIGSTOP)  # Client.release wakes it at cleanup

    def thaw(self, client):
        client.stop_signal(signal.SIGCONT)

    def test_binary_file_arrives_byte_identical(self):
        alice, bob = self.login("alice"), self.login("bob")
        send_alice_to_bob(self, alice, bob, 3 * MB + 123)
        self.assertEqual(sorted(os.listdir(bob.cwd)), ["alice_data.bin"], "no temporary file is left")
        self.assertEqual(alice.finish(), 0)
        self.assertEqual(bob.finish(), 0)

    def test_errors_offline_unknown_self_missing_file(self):
        alice = self.login("alice")
        make_file(os.path.join(alice.cwd, "f.bin"), 1000)
        alice.command("UVF carol f.bin", r"^carol is offline$")
        alice.command("UVF nosuchuser f.bin", r"nosuchuser is not a known user")
        alice.command("UVF alice f.bin", r"cannot send a file to yourself")
        alice.command("UVF bob missing.bin", r"missing\.bin: no such file")
        alice.command("UVF bob", r"Usage: UVF USER FILE")
        alice.command("echo still here", r"still here")  # nothing above broke the session
        self.assertEqual(alice.finish(), 5, "batch mode: some commands failed (docs/CLIENT.md#exit-status)")

    def test_server_refuses_the_names_the_receiver_would_refuse(self):
        bob = keyed_login(self.server, "bob", udp_port=free_udp_port())
        alice = keyed_login(self.server, "alice")
        refused = [
            ("a\tb", r"contains a control character"),  # the receiver refuses control bytes; TAB reaches the server
            ("../x", r"contains '/'"),
            ("..", r"cannot be '\.' or '\.\.'"),
            ("a\\b", r"contains '\\'"),
            ("x" * 256, r"256 bytes long; at most 255"),
        ]
        for name, why in refused:
            with self.subTest(name=name):
                [reply] = reply_to(alice, f"uvf bob 10 {name}")
                self.assertRegex(reply, r"^-ERR 400 Refused file name '.*': .*" + why)
        # Spaces and a leading '.' are fine: FILE is last, and bob saves it as "alice_FILE".
        for name in ("my file.txt", ".profile"):
            [reply] = reply_to(alice, f"uvf bob 10 {name}")
            self.assertRegex(reply, r"^\+OK \S+ \d+ [0-9a-f]{32} " + bob.keys.hex() + "$")
            bob.expect(r"^!UVF alice 10 [0-9a-f]{32} " + alice.keys.hex() + " " + re.escape(name) + "$")
        alice.close()
        bob.close()

    def test_a_client_without_a_udp_key_is_refused_clearly(self):
        """An old client gives no udpkey: it can neither send nor receive."""
        old = raw_login(self.server, "carol", udp_port=free_udp_port())
        new = keyed_login(self.server, "alice")
        [reply] = reply_to(old, "uvf alice 10 f.bin")
        self.assertRegex(reply, r"^-ERR 409 UVF and swarm transfers are encrypted end to end and your client gave no "
                         r"udpkey: upgrade it$")
        [reply] = reply_to(new, "uvf carol 10 f.bin")
        self.assertEqual(reply, "-ERR 409 carol's client cannot receive encrypted files (it gave no udpkey): "
                         "it must be upgraded")
        [reply] = reply_to(new, "udpkey 12345")
        self.assertEqual(reply, "-ERR 400 PUBLICKEY must be 64 hex digits (an X25519 public key)")
        old.close()
        new.close()

    @unittest.skipUnless(can_sniff(), "needs a packet socket on lo (root)")
    def test_nothing_of_the_file_is_readable_on_the_wire(self):
        """Every datagram between alice and bob, caught on lo as tcpdump
        would, is sealed: no piece of a file of a distinctive pattern, nor
        its name, appears (docs/UDP.md#14-end-to-end-encryption)."""
        ports = [free_udp_port(), free_udp_port()]
        alice, bob = self.login("alice", udp_port=ports[0]), self.login("bob", udp_port=ports[1])
        pattern = b"EDGEHUB-SECRET-PATTERN-0123456789"
        src = os.path.join(alice.cwd, "secret-name.bin")
        with open(src, "wb") as f:
            f.write(pattern * (2 * MB // len(pattern)))
        sniffer = LoopbackSniffer(ports)
        try:
            alice.send("UVF bob secret-name.bin")
            bob.expect(r"^Received secret-name\.bin from alice$", WAIT)
            alice.expect(r"^secret-name\.bin has been uploaded$", WAIT)
        finally:
            payloads = sniffer.stop()
        self.assertTrue(same_bytes(src, os.path.join(bob.cwd, "alice_secret-name.bin")))
        eht = [p for p in payloads if len(p) > 2 and p[0] == 0xEB]
        self.assertGreater(sum(len(p) for p in eht), MB // 2, "the transfer was seen on lo (a capture may miss some)")
        self.assertTrue(all(p[1] == 2 for p in eht), "every EHT datagram is version 2 (sealed)")
        wire = b"".join(payloads)
        self.assertNotIn(pattern[:16], wire)
        self.assertNotIn(b"secret-name", wire)

    def test_blocked_sender_is_refused(self):
        alice, bob = self.login("alice"), self.login("bob")
        make_file(os.path.join(alice.cwd, "f.bin"), 1000)
        bob.command("block alice", r"(?i)blocked")
        alice.command("UVF bob f.bin", r"recipient has blocked you")
        bob.command("unblock alice", r"(?i)unblocked")
        alice.send("UVF bob f.bin")
        alice.expect(r"^f\.bin has been uploaded$", WAIT)
        bob.expect(r"^Received f\.bin from alice$", WAIT)

    def test_shell_stays_usable_during_a_transfer(self):
        alice, bob = self.login("alice"), self.login("bob")
        src = os.path.join(alice.cwd, "big.bin")
        make_file(src, 32 * MB)
        alice.send("UVF bob big.bin")
        bob.expect(r"^Receiving big\.bin from alice", WAIT)
        self.freeze(bob)  # the transfer is running and cannot finish now
        alice.command("echo are you there", r"are you there")
        alice.command("AED", r"bob")
        self.assertFalse(any("has been uploaded" in line for line in alice.out.seen))
        self.thaw(bob)
        alice.expect(r"^big\.bin has been uploaded$", WAIT)
        bob.expect(r"^Received big\.bin from alice$", WAIT)
        self.assertTrue(same_bytes(src, os.path.join(bob.cwd, "alice_big.bin")))

    def test_receiver_logging_out_fails_the_sender_clearly(self):
        alice, bob = self.login("alice"), self.login("bob")
        make_file(os.path.join(alice.cwd, "big.bin"), 32 * MB)
        alice.send("UVF bob big.bin")
        bob.expect(r"^Receiving big\.bin from alice", WAIT)
        self.freeze(alice)  # so that the transfer is still running when bob leaves
        bob.command("OUT", r"Bye, bob")
        self.assertEqual(bob.wait(WAIT), 0)
        self.thaw(alice)
        alice.expect(r"^Sending big\.bin to bob failed: receiver closed the transfer: bob logged out$", WAIT)
        self.assertEqual(os.listdir(bob.cwd), [], "neither the file nor its temporary part remains")
        alice.command("echo ok", r"ok")

    def test_unissued_forged_and_reused_tickets_are_refused(self):
        """Carol plays a device by hand with sealed SYNs
        (docs/UDP.md#14-end-to-end-encryption)."""
        bob_port = free_udp_port()
        bob = self.login("bob", udp_port=bob_port)
        carol = keyed_login(self.server, "carol")
        carol.send("uvf bob 10 x.bin\n")
        _, _, _, ticket, bob_key = carol.expect(r"^\+OK \S+ \d+ [0-9a-f]{32} " + KEY + "$").split()
        keys = session_keys(carol.keys, bob_key, True, ticket)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(WAIT)
        self.addCleanup(s.close)
        bob_addr = ("127.0.0.1", bob_port)

        def answer(sock, channel, conn):
            """The type of the first datagram for conn that opens; others are ignored."""
            while True:
                got = channel.open(sock.recv(65536))
                if got and got[1] == conn:
                    return got[0]

        # A ticket the server never issued: bob knows no keys for it and stays silent.
        unissued = Channel(session_keys(carol.keys, bob_key, True, "0" * 32), "0" * 32)
        s.sendto(unissued.seal(SYN, 0, syn_body(0x1111, "0" * 32, "evil.bin", 10)), bob_addr)
        # The real ticket, with a tampered ciphertext: dropped, no answer either.
        forged = Channel(keys, ticket)
        dg = bytearray(forged.seal(SYN, 0, syn_body(0x2222, ticket, "x.bin", 10)))
        dg[-20] ^= 1
        s.sendto(bytes(dg), bob_addr)
        # The real ticket for another file: refused with a sealed ABORT.
        other = Channel(keys, ticket)
        s.sendto(other.seal(SYN, 0, syn_body(0x3333, ticket, "other.bin", 10)), bob_addr)
        self.assertEqual(answer(s, other, 0x3333), ABORT)
        good = Channel(keys, ticket)
        s.sendto(good.seal(SYN, 0, syn_body(0x4444, ticket, "x.bin", 10)), bob_addr)
        self.assertEqual(answer(s, good, 0x4444), SYNACK)
        # A ticket works once, even in a conversation of its own.
        s2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(s2.close)
        s2.settimeout(WAIT)
        again = Channel(keys, ticket)
        s2.sendto(again.seal(SYN, 0, syn_body(0x5555, ticket, "x.bin", 10)), bob_addr)
        self.assertEqual(answer(s2, again, 0x5555), ABORT)
        carol.close()
        bob.command("echo fine", r"fine")
        names = os.listdir(bob.cwd)  # (a temporary part of x.bin may exist until the handshake times out)
        self.assertFalse([n for n in names if "evil" in n or "other" in n or n == "carol_x.bin"], names)

    def test_two_transfers_to_one_receiver_at_once(self):
        alice, bob, carol = self.login("alice"), self.login("bob"), self.login("carol")
        a = os.path.join(alice.cwd, "a.bin")
        c = os.path.join(carol.cwd, "c.bin")
        make_file(a, 6 * MB)
        make_file(c, 5 * MB + 17)
        self.freeze(bob)  # both handshakes wait for bob: the transfers overlap
        alice.command("UVF bob a.bin", r"^Sending a\.bin to bob")
        carol.command("UVF bob c.bin", r"^Sending c\.bin to bob")
        self.thaw(bob)
        alice.expect(r"^a\.bin has been uploaded$", WAIT)
        carol.expect(r"^c\.bin has been uploaded$", WAIT)
        received = {bob.expect(r"^Received (\S+) from (\w+)$", WAIT).groups() for _ in range(2)}
        self.assertEqual(received, {("a.bin", "alice"), ("c.bin", "carol")})
        self.assertTrue(same_bytes(a, os.path.join(bob.cwd, "alice_a.bin")))
        self.assertTrue(same_bytes(c, os.path.join(bob.cwd, "carol_c.bin")))

    def test_end_of_input_waits_for_the_transfer_and_json_reports_it(self):
        alice = self.login("alice", json_mode=True)
        bob = self.login("bob")
        make_file(os.path.join(alice.cwd, "j.bin"), 2 * MB)
        alice.send("UVF bob j.bin")
        alice.proc.stdin.close()  # end of input right away: the client waits, then logs out
        alice.expect_json(lambda o: o.get("type") == "uvf_sent" and o.get("text") == "j.bin has been uploaded", WAIT)
        self.assertEqual(alice.wait(WAIT), 0)
        bob.expect(r"^Received j\.bin from alice$", WAIT)


if __name__ == "__main__":
    unittest.main()
