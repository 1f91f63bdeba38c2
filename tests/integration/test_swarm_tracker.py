"""The swarm tracker in a real edgehubd, spoken to as nc would
(docs/SWARM.md#2-tracker-protocol): share with digest blocks, searchfile,
searchchunk, swarmget, have, swarmpeers and its !SWARMTICKET events,
withdrawal at logout, disconnect and heartbeat timeout (!SWARMUNTICKET),
blocked users left out, bad input refused with the state unchanged."""
import hashlib
import os
import re
import struct
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, reply_to

MIN_CHUNK, MAX_CHUNK = 16 * 1024, 16 * 1024 * 1024


def chunk_size_for(size):
    """src/p2p/swarm/manifest.hpp: the power of two nearest above size/1024, in [16 KiB, 16 MiB]."""
    wanted = max((size + 1023) // 1024, 1)
    return min(max(1 << (wanted - 1).bit_length(), MIN_CHUNK), MAX_CHUNK)


class Manifest:
    def __init__(self, data):
        self.size = len(data)
        self.chunk_size = chunk_size_for(self.size)
        self.digests = b"".join(hashlib.sha256(data[i:i + self.chunk_size]).digest()
                                for i in range(0, self.size, self.chunk_size))
        self.count = len(self.digests) // 32
        header = b"EHS1" + struct.pack(">QI", self.size, self.chunk_size)
        self.root = hashlib.sha256(header + self.digests).hexdigest()


def share(conn, m, name, blocks=None):
    """share + the digests split into two blocks + $0; returns the reply line."""
    if blocks is None:
        cut = len(m.digests) // 2 + 3
        blocks = [m.digests[:cut], m.digests[cut:]]
    data = f"share {m.size} {m.chunk_size} {m.root} {name}\n".encode()
    for b in blocks:
        data += f"${len(b)}\n".encode() + b
    conn.send(data + b"$0\n")
    return next_reply(conn)


def next_reply(conn):
    while True:
        line = conn.line()
        if line is None:
            raise AssertionError("connection closed before a reply")
        if not line.startswith("!"):
            return line


def read_block(conn):
    """The next "$N" block's bytes (events before it are skipped)."""
    header = next_reply(conn)
    assert header.startswith("$"), header
    n = int(header[1:])
    conn.sock.settimeout(DEFAULT_TIMEOUT)
    while len(conn.buf) < n:
        chunk = conn.sock.recv(65536)
        assert chunk, "closed inside a block"
        conn.buf += chunk
    data, conn.buf = conn.buf[:n], conn.buf[n:]
    return data


def stat(conn):
    return next(iter(reply_to(conn, "swarmstat")))


def key_of(name):
    """A stand-in public key per name (docs/UDP.md#14-end-to-end-encryption)."""
    return name.encode().hex().ljust(64, "0")


class SwarmTracker(HubTestCase):
    def raw_login(self, server, name, udp_port=None):
        """Devices with a UDP port give a key first, as the client does."""
        if not udp_port:
            return super().raw_login(server, name)
        conn = server.raw()
        self.addCleanup(conn.close)
        conn.expect(r"^\+OK EDGEHUB/\d+ ")
        conn.send(f"udpkey {key_of(name)}\n")
        conn.expect(r"^\+OK UDP key registered")
        conn.send(f"login {name} {server.credentials[name]} {udp_port}\n")
        conn.expect(r"^\+OK Welcome to edgehub, " + re.escape(name))
        return conn

    def setUp(self):
        self.movie = Manifest(os.urandom(40_000))  # 3 chunks of 16 KiB
        self.notes = Manifest(os.urandom(20_000))

    def test_share_search_get_have_and_peers_with_tickets(self):
        with Server() as server:
            alice = self.raw_login(server, "alice", udp_port=6201)
            bob = self.raw_login(server, "bob", udp_port=6202)
            carol = self.raw_login(server, "carol", udp_port=6203)
            m = self.movie
            self.assertEqual(share(alice, m, "my movie.bin"),
                             f"+OK shared my movie.bin as {m.root[:12]} (3 chunks of 16384 bytes)")
            self.assertEqual(reply_to(bob, "searchfile my movie.bin"),
                             ["*1 1 version of my movie.bin", f"{m.root} 40000 16384 3 alice:3"])
            self.assertEqual(reply_to(bob, "searchchunk my movie.bin 1-2,0"),
                             ["*1 holders of chunks 0-2 of my movie.bin", f"{m.root} 40000 16384 3 alice:3"])
            self.assertEqual(reply_to(bob, "searchchunk my movie.bin 3"),
                             ["-ERR 400 chunk 3 is out of range (my movie.bin has 3 chunks)"])
            self.assertEqual(reply_to(bob, f"swarmget my movie.bin@{m.root[:6]}"),
                             [f"+OK {m.root} 40000 16384 3"])
            self.assertEqual(read_block(bob), m.digests)
            self.assertEqual(read_block(bob), b"")
            self.assertEqual(reply_to(bob, f"have {m.root} 0"), ["+OK 1"])
            peers = reply_to(carol, f"swarmpeers {m.root}")
            self.assertEqual(peers[0], f"*2 2 peers for {m.root[:12]}")
            a = re.fullmatch(r"alice 127\.0\.0\.1 6201 ([0-9a-f]{32}) " + key_of("alice") + " all", peers[1])
            b = re.fullmatch(r"bob 127\.0\.0\.1 6202 ([0-9a-f]{32}) " + key_of("bob") + " x80", peers[2])
            self.assertTrue(a and b, peers)
            alice.expect(rf"^!SWARMTICKET carol {a.group(1)} {m.root} {key_of('carol')}$")
            bob.expect(rf"^!SWARMTICKET carol {b.group(1)} {m.root} {key_of('carol')}$")
            self.assertEqual(reply_to(carol, f"swarmpeers {m.root}"), peers, "tickets are reused")
            self.assertEqual(reply_to(carol, "searchchunk my movie.bin 0"),
                             ["*1 holders of chunks 0 of my movie.bin", f"{m.root} 40000 16384 3 alice:1,bob:1"])
            # Withdrawal at logout: carol's tickets are revoked at both holders.
            carol.send("OUT\n")
            carol.expect(r"^\+OK Bye")
            alice.expect(rf"^!SWARMUNTICKET {a.group(1)}$")
            bob.expect(rf"^!SWARMUNTICKET {b.group(1)}$")
            # bob logs out: alice sees !LOGOUT bob after bob's chunks are gone.
            bob.send("OUT\n")
            alice.expect(r"^!LOGOUT bob$")
            carol2 = self.raw_login(server, "carol")
            self.assertEqual(reply_to(carol2, "searchchunk my movie.bin 0"),
                             ["*1 holders of chunks 0 of my movie.bin", f"{m.root} 40000 16384 3 alice:1"])

    def test_withdrawal_at_disconnect_and_heartbeat_timeout(self):
        with Server("--heartbeat", "1") as server:
            alice = self.raw_login(server, "alice", udp_port=6211)
            bob = self.raw_login(server, "bob", udp_port=6212)
            carol = self.raw_login(server, "carol", udp_port=6213)
            self.assertTrue(share(alice, self.movie, "movie").startswith("+OK shared"))
            self.assertTrue(share(carol, self.notes, "notes").startswith("+OK shared"))
            alice.close()  # gone without OUT
            bob.expect(r"^!LOGOUT alice$")
            self.assertEqual(reply_to(bob, "searchfile movie"), ["-ERR 404 movie is not available"])
            # carol answers no PING: the heartbeat drops her and her share. bob answers his.
            while True:
                line = bob.line()
                if line == "!PING":
                    bob.send("\n")
                if line == "!LOGOUT carol":
                    break
            self.assertEqual(reply_to(bob, "searchfile notes"), ["-ERR 404 notes is not available"])
            self.assertTrue(stat(bob).startswith("+OK memory 0 of "), stat(bob))

    def test_blocked_users_are_left_out(self):
        with Server() as server:
            alice = self.raw_login(server, "alice", udp_port=6221)
            bob = self.raw_login(server, "bob", udp_port=6222)
            carol = self.raw_login(server, "carol", udp_port=6223)
            m = self.movie
            share(alice, m, "movie")
            share(carol, m, "movie")
            self.assertTrue(reply_to(alice, "block bob")[0].startswith("+OK"))
            self.assertEqual(reply_to(bob, "searchfile movie"),
                             ["*1 1 version of movie", f"{m.root} 40000 16384 3 carol:3"])
            peers = reply_to(bob, f"swarmpeers {m.root}")
            self.assertEqual(len(peers), 2, peers)
            self.assertTrue(peers[1].startswith("carol "), peers)
            reply_to(carol, "block bob")
            self.assertEqual(reply_to(bob, "swarmget movie"), ["-ERR 404 movie is not available"])

    def test_bad_input_is_refused_and_changes_nothing(self):
        with Server("--swarm-max-chunks", "2") as server:
            alice = self.raw_login(server, "alice", udp_port=6231)
            bob = self.raw_login(server, "bob")
            empty = stat(alice)
            n = self.notes  # 2 chunks
            self.assertRegex(share(alice, n, "a/b"), r"^-ERR 400 Refused file name 'a/b': ")
            self.assertRegex(share(alice, n, ".."), r"^-ERR 400 Refused file name '\.\.': ")
            bad_root = Manifest(b"x")
            bad_root.root = "Z" * 64
            self.assertRegex(share(alice, bad_root, "x"), r"^-ERR 400 Usage: share SIZE CHUNKSIZE ROOT NAME")
            self.assertEqual(share(alice, n, "n", blocks=[n.digests[:40]]),
                             "-ERR 400 Malformed manifest for n: expected 64 bytes of chunk hashes "
                             "(2 chunks of 16384 bytes in 20000 bytes), got 40")
            wrong = bytearray(n.digests)
            wrong[0] ^= 1
            self.assertEqual(share(alice, n, "n", blocks=[bytes(wrong)]),
                             "-ERR 400 Malformed manifest for n: the root hash does not match the chunk hashes")
            self.assertEqual(share(alice, self.movie, "big"),
                             "-ERR 413 The file has 3 chunks; the tracker takes at most 2 per file "
                             "(--swarm-max-chunks)")
            self.assertEqual(stat(alice), empty)
            self.assertEqual(reply_to(bob, "searchfile nothing"), ["-ERR 404 nothing is not available"])
            self.assertEqual(reply_to(bob, "swarmpeers nothex"),
                             ["-ERR 400 Usage: swarmpeers ROOT (ROOT: 64 lower-case hex digits)"])
            self.assertEqual(share(alice, n, "n"), f"+OK shared n as {n.root[:12]} (2 chunks of 16384 bytes)")
            self.assertEqual(reply_to(bob, "searchchunk n 0-5"), ["-ERR 400 chunk 5 is out of range (n has 2 chunks)"])
            self.assertEqual(reply_to(bob, f"have {n.root} 0"),
                             [f"-ERR 404 You hold no part of {n.root[:12]}: swarmget or share it first"])


if __name__ == "__main__":
    unittest.main()
