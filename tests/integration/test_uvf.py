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


# --- a minimal EHT encoder/decoder (docs/UDP.md#1-packet-format) for spoofing ---

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def syn(src_conn, ticket, name, size, chunk=1432):
    t, n = ticket.encode(), name.encode()
    body = struct.pack(">IBHQI", src_conn, 0, chunk, size, 0) + bytes([len(t)]) + t + struct.pack(">H", len(n)) + n
    dg = bytes([0xEB, 1, 1, 0]) + struct.pack(">I", 0) + body
    return dg + struct.pack(">I", crc32c(dg))


def packet_type_and_dest(dg):
    """(type, dest conn id) of a datagram whose checksum is right, else None."""
    if len(dg) < 12 or dg[0] != 0xEB or struct.unpack(">I", dg[-4:])[0] != crc32c(dg[:-4]):
        return None
    return dg[2], struct.unpack(">I", dg[4:8])[0]


SYNACK, ABORT = 2, 7


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
        src = os.path.join(alice.cwd, "data.bin")
        make_file(src, 3 * MB + 123)
        alice.send("UVF bob data.bin")
        alice.expect(r"^Sending data\.bin to bob in the background$")
        bob.expect(r"^Receiving data\.bin from alice")
        bob.expect(r"^Received data\.bin from alice$", WAIT)
        alice.expect(r"^data\.bin has been uploaded$", WAIT)
        self.assertTrue(same_bytes(src, os.path.join(bob.cwd, "alice_data.bin")))
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
        bob = raw_login(self.server, "bob", udp_port=free_udp_port())
        alice = raw_login(self.server, "alice")
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
            self.assertRegex(reply, r"^\+OK \S+ \d+ [0-9a-f]{32}$")
            bob.expect(r"^!UVF alice 10 [0-9a-f]{32} " + re.escape(name) + "$")
        alice.close()
        bob.close()

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

    def test_unissued_and_reused_tickets_are_refused(self):
        bob_port = free_udp_port()
        bob = self.login("bob", udp_port=bob_port)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(WAIT)
        self.addCleanup(s.close)

        def answer(conn):
            while True:
                got = packet_type_and_dest(s.recv(65536))
                if got and got[1] == conn:
                    return got[0]

        # A well-formed SYN with a ticket the server never issued.
        s.sendto(syn(0x1111, "0123456789abcdef0123456789abcdef", "evil.bin", 10), ("127.0.0.1", bob_port))
        self.assertEqual(answer(0x1111), ABORT)
        # A real ticket, issued to carol for x.bin of 10 bytes.
        carol = self.server.raw()
        carol.expect(r"^\+OK EDGEHUB")
        carol.send("login carol %s\n" % self.server.credentials["carol"])
        carol.expect(r"^\+OK Welcome")
        carol.send("uvf bob 10 x.bin\n")
        ticket = carol.expect(r"^\+OK \S+ \d+ [0-9a-f]{32}$").split()[3]
        s.sendto(syn(0x2222, ticket, "other.bin", 10), ("127.0.0.1", bob_port))  # not what it was issued for
        self.assertEqual(answer(0x2222), ABORT)
        s.sendto(syn(0x3333, ticket, "x.bin", 10), ("127.0.0.1", bob_port))
        self.assertEqual(answer(0x3333), SYNACK)
        s2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(s2.close)
        s2.settimeout(WAIT)
        s2.sendto(syn(0x4444, ticket, "x.bin", 10), ("127.0.0.1", bob_port))  # a ticket works once
        while True:
            got = packet_type_and_dest(s2.recv(65536))
            if got and got[1] == 0x4444:
                self.assertEqual(got[0], ABORT)
                break
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
