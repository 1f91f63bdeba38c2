"""UED on the wire (docs/EDGE_DATA.md#ued-on-the-wire), as a device without
our client sends it: the SHA-256 given before the data, or "-" and the
digest as one block after the data. Each bad form gets its one error and
stores nothing; the connection goes on."""
import hashlib
import os

from harness import HubTestCase, Server, reply_to

DATA = b"".join(f"{i}\n".encode() for i in range(-500, 1500))


def blocks(data, size=700):
    return b"".join(b"$%d\n" % len(data[i:i + size]) + data[i:i + size] for i in range(0, len(data), size))


def digest_block(digest):
    return b"$%d\n" % len(digest) + digest


class UedOnTheWire(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.server.__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.alice = self.raw_login(self.server, "alice")

    def upload(self, line, body):
        self.alice.send(line + "\n")
        self.alice.send(body + b"$0\n")
        return self.alice.line()

    def stored(self, file_id):
        return os.path.exists(self.server.path("uploads", "alice", f"alice-{file_id}.txt"))

    def test_the_digest_before_the_data(self):
        sha = hashlib.sha256(DATA).hexdigest()
        self.assertEqual(self.upload(f"UED 1 {len(DATA)} {sha}", blocks(DATA)),
                         f"+OK file 1 uploaded: 2000 values, {len(DATA)} bytes")
        self.assertEqual(reply_to(self.alice, "SCS 1 SUM"), [f"+OK file 1: SUM = {sum(range(-500, 1500))}"])

    def test_the_digest_after_the_data(self):
        sha = hashlib.sha256(DATA).hexdigest().encode()
        self.assertEqual(self.upload(f"UED 2 {len(DATA)} -", blocks(DATA) + digest_block(sha)),
                         f"+OK file 2 uploaded: 2000 values, {len(DATA)} bytes")
        with open(self.server.path("uploads", "alice", "alice-2.txt"), "rb") as f:
            self.assertEqual(f.read(), DATA)

    def test_an_empty_file_with_its_digest_after(self):
        sha = hashlib.sha256(b"").hexdigest().encode()
        self.assertEqual(self.upload("UED 3 0 -", digest_block(sha)), "+OK file 3 uploaded: 0 values, 0 bytes")

    def test_a_wrong_digest_after_the_data_stores_nothing(self):
        wrong = hashlib.sha256(DATA + b"x").hexdigest().encode()
        self.assertEqual(self.upload(f"UED 4 {len(DATA)} -", blocks(DATA) + digest_block(wrong)),
                         "-ERR 400 SHA-256 mismatch: the upload was corrupted; nothing was stored")
        self.assertFalse(self.stored(4))

    def test_no_digest_after_the_data_stores_nothing(self):
        self.assertEqual(self.upload(f"UED 5 {len(DATA)} -", blocks(DATA)),
                         "-ERR 400 the data ended without its SHA-256 block; nothing was stored")
        self.assertFalse(self.stored(5))

    def test_a_digest_block_that_is_not_one_stores_nothing(self):
        self.assertEqual(self.upload(f"UED 6 {len(DATA)} -", blocks(DATA) + digest_block(b"12\n")),
                         "-ERR 400 the block after the data must be its SHA-256 in 64 lower-case hex digits")
        self.assertFalse(self.stored(6))
        # The connection goes on: the next upload works.
        self.test_the_digest_after_the_data()

    def test_short_data_is_short_whatever_follows(self):
        sha = hashlib.sha256(DATA).hexdigest().encode()
        # 100 bytes missing: the digest block is taken as data, and the
        # data then ends short (the digest is no line of an integer).
        reply = self.upload(f"UED 7 {len(DATA)} -", blocks(DATA[:-100]) + digest_block(sha))
        self.assertRegex(reply, r"^-ERR 400 (upload ended after \d+ of \d+ bytes|file 7 refused: line \d+: .*); "
                         "nothing was stored$")
        self.assertFalse(self.stored(7))

    def test_a_bad_digest_argument(self):
        self.assertEqual(self.upload(f"UED 8 {len(DATA)} xyz", blocks(DATA)),
                         "-ERR 400 SHA256 must be 64 lower-case hex digits, or - when it follows the data")
        self.assertFalse(self.stored(8))
