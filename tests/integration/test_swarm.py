"""Swarm download end to end (docs/SWARM.md#5-downloader-and-seeder): real
edgehubd (the tracker) and real edgehub clients sharing files and fetching
their chunks from each other over EHT.

Nothing here waits for wall-clock speed. Where a test needs a download to be
"still running" when something happens, it freezes a process with SIGSTOP at
an event (a progress object of `p2pDownload --json`) and thaws it after. Two
tests start from a partial download made by the test itself (the part-file
format of docs/SWARM.md#4-peer-wire), so that which peer holds which chunks
does not depend on timing. Only the first test uses a big file."""
import hashlib
import json
import os
import re
import shutil
import signal
import struct
import unittest

from loopback_capture import LoopbackSniffer, can_capture as can_sniff
from disk_harness import small_disk
from harness import HubTestCase, Server, free_udp_port

KIB = 1024
MB = 1024 * 1024
WAIT = 120  # upper bound for one download event, sanitizers included
BIG_WAIT = 900
CHUNK_MIN, CHUNK_MAX, TARGET_CHUNKS = 16 * KIB, 16 * MB, 1024


def make_file(path, size):
    """Random bytes, written in pieces (never all in memory)."""
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, MB)
            f.write(os.urandom(n))
            left -= n


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MB), b""):
            h.update(block)
    return h.hexdigest()


def chunk_size_for(size):
    """docs/SWARM.md#1-chunks-and-manifest: the power of two nearest above size/1024, in [16 KiB, 16 MiB]."""
    wanted = max(1, -(-size // TARGET_CHUNKS))
    pow2 = 1 << (wanted - 1).bit_length()
    return min(max(pow2, CHUNK_MIN), CHUNK_MAX)


def manifest_of(path):
    """(root hex, chunk size, chunk count), computed as docs/SWARM.md#1-chunks-and-manifest says."""
    size = os.path.getsize(path)
    chunk = chunk_size_for(size)
    digests = []
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digests.append(hashlib.sha256(block).digest())
    root = hashlib.sha256(b"EHS1" + struct.pack(">QI", size, chunk) + b"".join(digests)).hexdigest()
    return root, chunk, len(digests)


def make_partial(src, dest_dir, chunks):
    """A download of src stopped with only `chunks` verified (docs/SWARM.md#4-peer-wire):
    .NAME.swarm-part holds the bytes, .NAME.swarm-have the root and bitmap."""
    name = os.path.basename(src)
    root, chunk, count = manifest_of(src)
    shutil.copyfile(src, os.path.join(dest_dir, f".{name}.swarm-part"))
    bitmap = bytearray((count + 7) // 8)
    for i in chunks:
        bitmap[i // 8] |= 0x80 >> (i % 8)
    with open(os.path.join(dest_dir, f".{name}.swarm-have"), "w") as f:
        f.write(f"edgehub-swarm-have 1\n{root} {os.path.getsize(src)} {chunk} {count}\n{bitmap.hex()}\n")
    return root


SUMMARY = r"^Downloaded (\S+) \(([^)]*)\) in ([\d.]+) s from (\d+) peers?: (.*)$"


def summary_shares(match):
    """{peer: percent} from the summary line."""
    shares = {}
    for item in match.group(5).split(", "):
        peer, percent = item.rsplit(" ", 1)
        shares[peer] = int(percent.rstrip("%"))
    return shares


class SwarmTest(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)  # runs last: after the clients are gone

    def login(self, name, server=None, **kwargs):
        return self.client((server or self.server), name, **kwargs)

    def freeze(self, client):
        client.stop_signal(signal.SIGSTOP)  # Client.release wakes it at cleanup

    def thaw(self, client):
        client.stop_signal(signal.SIGCONT)

    def share(self, client, name, timeout=WAIT):
        client.send(f"share {name}")
        m = client.expect(rf"^shared {re.escape(name)} as ([0-9a-f]{{12}}) \((\d+) chunks|^share|ERR", timeout)
        self.assertIsNotNone(m.group(1), f"share {name} failed: {m.string}")
        return m.group(1)

    def download(self, client, name, timeout=WAIT):
        """Runs p2pDownload NAME --json; returns (summary match, swarm_done object)."""
        client.send(f"p2pDownload {name} --json")
        summary = client.expect(SUMMARY + r"|^p2pDownload \S+ (stopped|failed)|not available$|^p2pDownload: ", timeout)
        self.assertTrue(summary.string.startswith("Downloaded"), summary.string)
        done = client.expect_json(lambda o: o.get("type") == "swarm_done", timeout)
        return summary, done

    def progress_until(self, client, predicate, timeout=WAIT):
        return client.expect_json(lambda o: o.get("type") == "swarm_progress" and predicate(o), timeout)

    # --- the cases ---------------------------------------------------

    def test_four_seeders_300mib_byte_identical_from_at_least_three(self):
        seeders = [self.login(n) for n in ("alice", "bob", "carol", "dave")]
        src = os.path.join(seeders[0].cwd, "big.bin")
        make_file(src, 300 * MB)
        for s in seeders[1:]:
            os.link(src, os.path.join(s.cwd, "big.bin"))  # the same bytes without writing them again
        for s in seeders:
            s.send("share big.bin")
        chunk = chunk_size_for(300 * MB)  # 512 KiB: 600 chunks
        for s in seeders:
            s.expect(rf"^shared big\.bin as [0-9a-f]{{12}} \({300 * MB // chunk} chunks of {chunk} bytes\)", BIG_WAIT)
        erin = self.login("erin")
        summary, done = self.download(erin, "big.bin", BIG_WAIT)
        shares = summary_shares(summary)
        self.assertGreaterEqual(int(summary.group(4)), 3, summary.string)
        self.assertGreaterEqual(len([p for p, pct in shares.items() if pct > 0]), 3, summary.string)
        self.assertEqual(done["fetched_bytes"], 300 * MB)
        self.assertEqual(sha256_file(os.path.join(erin.cwd, "big.bin")), sha256_file(src))
        self.assertEqual(sorted(os.listdir(erin.cwd)), ["big.bin"], "no part or have file is left")
        self.assertEqual(erin.finish(WAIT), 0)

    @unittest.skipUnless(can_sniff(), "needs a packet socket on lo (root)")
    def test_nothing_of_the_file_is_readable_on_the_wire(self):
        """Chunk requests and their transfers, caught on lo as tcpdump would,
        are sealed end to end (docs/UDP.md#14-end-to-end-encryption)."""
        ports = [free_udp_port(), free_udp_port()]
        alice = self.login("alice", udp_port=ports[0])
        pattern = b"SWARM-SECRET-PATTERN-9876543210"
        src = os.path.join(alice.cwd, "s.bin")
        with open(src, "wb") as f:
            f.write(pattern * (3 * MB // len(pattern)))
        self.share(alice, "s.bin")
        bob = self.login("bob", udp_port=ports[1])
        sniffer = LoopbackSniffer(ports)
        try:
            self.download(bob, "s.bin")
        finally:
            payloads = sniffer.stop()
        self.assertEqual(sha256_file(os.path.join(bob.cwd, "s.bin")), sha256_file(src))
        eht = [p for p in payloads if len(p) > 2 and p[0] == 0xEB]
        self.assertGreater(sum(len(p) for p in eht), MB // 2, "the chunks were seen on lo (a capture may miss some)")
        self.assertTrue(all(p[1] == 2 for p in eht), "every EHT datagram is version 2 (sealed)")
        self.assertNotIn(pattern[:16], b"".join(p for p in payloads if p[:1] == b"\xeb"))

    def test_corrupting_seeder_is_dropped_and_the_file_is_still_correct(self):
        alice = self.login("alice")
        bob = self.login("bob", env=dict(os.environ, EDGEHUB_TEST_CORRUPT_CHUNKS="1"))
        src = os.path.join(alice.cwd, "f.bin")
        make_file(src, 4 * MB + 5)
        shutil.copyfile(src, os.path.join(bob.cwd, "f.bin"))
        self.share(alice, "f.bin")
        self.share(bob, "f.bin")
        carol = self.login("carol")
        carol.send("p2pDownload f.bin --json")
        carol.expect(r"^p2pDownload f\.bin: dropped bob: sent a bad chunk \d+$", WAIT)
        summary = carol.expect(SUMMARY, WAIT)
        self.assertEqual(summary_shares(summary), {"alice": 100}, "no byte from the liar counts")
        self.assertEqual(sha256_file(os.path.join(carol.cwd, "f.bin")), sha256_file(src))

    def test_seeder_killed_mid_download_the_others_finish_it(self):
        seeders = [self.login(n) for n in ("alice", "bob", "carol")]
        src = os.path.join(seeders[0].cwd, "f.bin")
        make_file(src, 64 * MB)
        for s in seeders[1:]:
            os.link(src, os.path.join(s.cwd, "f.bin"))
        for s in seeders:
            self.share(s, "f.bin")
        dave = self.login("dave")
        dave.send("p2pDownload f.bin --json")
        # Alice has sent chunks and the download is not over: freeze it there.
        self.progress_until(dave, lambda o: o["from"].get("alice", 0) > 0 and o["done"] < o["total"])
        self.freeze(dave)
        self.assertFalse(os.path.exists(os.path.join(dave.cwd, "f.bin")), "the download must still be running")
        seeders[0].kill9()
        self.thaw(dave)
        summary = dave.expect(SUMMARY, WAIT)
        self.assertIn("alice", summary_shares(summary))
        self.assertEqual(sha256_file(os.path.join(dave.cwd, "f.bin")), sha256_file(src))

    def test_two_downloaders_feed_each_other(self):
        alice = self.login("alice")
        src = os.path.join(alice.cwd, "f.bin")
        make_file(src, 2 * MB)  # 128 chunks of 16 KiB
        self.share(alice, "f.bin")
        bob, carol = self.login("bob"), self.login("carol")
        # Each starts with a different half; the seeder is frozen, so what each
        # lacks can only come from the other (on loopback an unfrozen seeder
        # would serve everything before the first swarmpeers refresh).
        make_partial(src, bob.cwd, range(0, 64))
        make_partial(src, carol.cwd, range(64, 128))
        self.freeze(alice)
        bob.send("p2pDownload f.bin --json")
        carol.send("p2pDownload f.bin --json")
        for me, other in ((bob, "carol"), (carol, "bob")):
            summary = me.expect(SUMMARY, WAIT)
            self.assertEqual(summary_shares(summary), {other: 100}, summary.string)
            done = me.expect_json(lambda o: o.get("type") == "swarm_done", WAIT)
            self.assertEqual((done["resumed_chunks"], done["fetched_chunks"]), (64, 64))
            self.assertEqual(sha256_file(os.path.join(me.cwd, "f.bin")), sha256_file(src))
        self.thaw(alice)

    def test_only_holder_leaves_missing_chunks_then_resume_fetches_only_the_rest(self):
        alice = self.login("alice")
        src = os.path.join(alice.cwd, "f.bin")
        make_file(src, 32 * MB)  # 1024 chunks of 32 KiB
        self.share(alice, "f.bin")
        bob = self.login("bob")
        bob.send("p2pDownload f.bin --json")
        self.progress_until(bob, lambda o: 0 < o["done"] < o["total"])
        self.freeze(bob)
        self.assertEqual(alice.finish(WAIT), 0)  # logs out: its announcement is withdrawn
        self.thaw(bob)
        m = bob.expect(r"^p2pDownload f\.bin stopped: chunks? ([\d,-]+) (?:is|are) missing \(no online device holds "
                       r"(?:it|them)\); (\d+) of 1024 chunks are here, run it again to resume$", WAIT)
        here = int(m.group(2))
        self.assertGreater(here, 0)
        self.assertLess(here, 1024)
        self.assertFalse(os.path.exists(os.path.join(bob.cwd, "f.bin")), "nothing under the final name")
        # Alice is back; the re-run fetches only what is missing.
        alice2 = self.login("alice", cwd=alice.cwd)
        self.share(alice2, "f.bin")
        bob.send("p2pDownload f.bin --json")
        bob.expect(rf"^p2pDownload f\.bin: .*resuming with {here} chunks already here", WAIT)
        done = bob.expect_json(lambda o: o.get("type") == "swarm_done", WAIT)
        self.assertEqual(done["resumed_chunks"], here)
        self.assertEqual(done["fetched_chunks"], 1024 - here)
        self.assertEqual(done["fetched_bytes"], (1024 - here) * 32 * KIB, "no verified chunk was fetched again")
        self.assertEqual(sha256_file(os.path.join(bob.cwd, "f.bin")), sha256_file(src))

    def test_two_versions_most_holders_by_default_and_root_prefix_choice(self):
        alice, bob, carol = self.login("alice"), self.login("bob"), self.login("carol")
        make_file(os.path.join(alice.cwd, "v.bin"), 100 * KIB)
        make_file(os.path.join(bob.cwd, "v.bin"), 60 * KIB)
        shutil.copyfile(os.path.join(bob.cwd, "v.bin"), os.path.join(carol.cwd, "v.bin"))
        root_a = self.share(alice, "v.bin")
        root_b = self.share(bob, "v.bin")
        self.assertEqual(self.share(carol, "v.bin"), root_b)
        dave = self.login("dave")
        dave.send("searchFile v.bin")
        dave.expect(r"^v\.bin: 2 versions$")
        dave.expect(rf"^v\.bin {root_b}: 60\.0 KiB in 4 chunks of 16\.0 KiB, 2 holders: (bob all, carol all|carol all, bob all)$")
        dave.expect(rf"^v\.bin {root_a}: 100\.0 KiB in 7 chunks of 16\.0 KiB, 1 holder: alice all$")
        self.download(dave, "v.bin")
        self.assertEqual(sha256_file(os.path.join(dave.cwd, "v.bin")), sha256_file(os.path.join(bob.cwd, "v.bin")))
        erin = self.login("erin")
        self.download(erin, f"v.bin@{root_a[:6]}")
        self.assertEqual(sha256_file(os.path.join(erin.cwd, "v.bin")), sha256_file(os.path.join(alice.cwd, "v.bin")))
        # Dave holds version B; version A would overwrite it.
        dave.command(f"p2pDownload v.bin@{root_a}", r"already exists here with other contents")
        dave.command("p2pDownload v.bin@xyz1", r"'xyz1' is not a root prefix")

    def test_bad_input_each_with_a_clear_error(self):
        alice = self.login("alice")
        make_file(os.path.join(alice.cwd, "f.bin"), 40 * KIB)  # 3 chunks
        os.mkdir(os.path.join(alice.cwd, "dir"))
        open(os.path.join(alice.cwd, "empty.bin"), "wb").close()
        cases = [
            ("share missing.bin", r"^share: missing\.bin: no such file$"),
            ("share dir", r"^share: dir is a directory; share a file$"),
            ("share empty.bin", r"^share: empty\.bin is empty; there is nothing to share$"),
            ("share ../f.bin", r"^share: .*'/'"),
            ("share ..", r"^share: .*'\.\.'"),
            ("share a\0b", r"^share: .*NUL"),
            ("searchFile a/b", r"^searchFile: .*'/'"),
            ("p2pDownload ../x", r"^p2pDownload: .*'/'"),
            ("p2pDownload .x", r"^p2pDownload: .*'\.'"),
            ("searchFile nosuch.bin", r"^nosuch\.bin is not available$"),
            ("p2pDownload nosuch.bin", r"^nosuch\.bin is not available$"),
            ("unshare f.bin", r"^You do not share f\.bin$"),
            ("searchChunk f.bin", r"^Usage: searchChunk NAME CHUNKS$"),
            ("p2pDownload", r"^Usage: p2pDownload NAME\[@ROOTPREFIX\] \[--json\]$"),
        ]
        for line, pattern in cases:
            with self.subTest(line=line):
                alice.command(line, pattern)
        self.share(alice, "f.bin")
        bob = self.login("bob")
        bob.command("searchChunk f.bin 3", r"^chunk 3 is out of range \(f\.bin has 3 chunks\)$")
        bob.command("searchChunk f.bin 1-x", r"^searchChunk: ")
        bob.command("searchChunk f.bin 0-1", r"^f\.bin [0-9a-f]{12}: .* 1 holder: alice all$")
        self.download(bob, "f.bin")
        bob.command("p2pDownload f.bin", r"^p2pDownload: you already have f\.bin \([0-9a-f]{12}\), complete; nothing to do$")
        self.assertEqual(sorted(os.listdir(bob.cwd)), ["f.bin"])
        alice.command("unshare f.bin", r"^f\.bin withdrawn$")
        alice.command("echo still here", r"still here")  # nothing above broke the session
        self.assertEqual(alice.finish(), 5, "batch mode's status says some commands failed (docs/CLIENT.md#exit-status)")

    def test_a_download_the_disk_has_no_room_for_is_refused_at_once(self):
        disk = small_disk(self, 1)  # a 1 MiB tmpfs for a 2 MiB file
        alice = self.login("alice")
        make_file(os.path.join(alice.cwd, "big.bin"), 2048 * KIB)
        self.share(alice, "big.bin")
        bob = self.login("bob", cwd=disk.path())
        bob.command("p2pDownload big.bin",
                    r"^p2pDownload big\.bin: not enough space for \S+: 2097152 bytes needed, \d+ free$")
        self.assertEqual(os.listdir(disk.path()), [], "a refused download leaves nothing behind")
        bob.command("echo still here", r"still here")

    @unittest.skipIf(os.geteuid() == 0, "root reads any file")
    def test_unreadable_file_is_not_shared(self):
        alice = self.login("alice")
        path = os.path.join(alice.cwd, "secret.bin")
        make_file(path, 1000)
        os.chmod(path, 0)
        alice.command("share secret.bin", r"^share: secret\.bin: cannot read it: Permission denied$")

    def test_manifest_over_the_tracker_limit_is_refused(self):
        server = Server("--swarm-max-chunks", "4")
        try:
            alice = self.login("alice", server=server)
            make_file(os.path.join(alice.cwd, "f.bin"), 100 * KIB)  # 7 chunks
            alice.command("share f.bin", r"^.*\b(limit|at most|too many)\b.*$")
            alice.command("searchFile f.bin", r"^f\.bin is not available$")
        finally:
            server.__exit__(None, None, None)

    def test_changed_file_is_withdrawn_not_served(self):
        alice = self.login("alice")
        src = os.path.join(alice.cwd, "f.bin")
        make_file(src, 100 * KIB)
        self.share(alice, "f.bin")
        with open(src, "r+b") as f:  # same size, new bytes and mtime
            f.write(b"changed!")
        bob = self.login("bob")
        bob.send("p2pDownload f.bin")
        alice.expect(r"^Withdrew f\.bin from the swarm: it changed since it was shared$", WAIT)
        bob.expect(r"^p2pDownload f\.bin stopped: chunks 0-6 are missing", WAIT)
        self.assertFalse(os.path.exists(os.path.join(bob.cwd, "f.bin")))


if __name__ == "__main__":
    unittest.main()
