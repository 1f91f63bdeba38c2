"""A full disk does not keep edgehubd from starting (issue 14 item 2,
docs/SECURITY.md#a-full-disk): on a real, full tmpfs it starts read-mostly,
logins, presence and reads work, writes get a clear 507 and nothing is
acknowledged that was not stored, and writes work again once there is room."""
import os
import re
import unittest

from disk_harness import small_disk
from harness import HubTestCase, Server, reply_to, wait_until
from postgres_database import TEST_POSTGRES

KEPT = "written before the disk filled"


@unittest.skipIf(TEST_POSTGRES, "needs the database on the full disk: SQLite's file is in the data directory, "
                 "a PostgreSQL server's files are not")
class FullDiskRestart(HubTestCase):
    def store_for_bob(self, server):
        alice = self.raw_login(server, "alice")
        self.assertRegex(reply_to(alice, f"message bob {KEPT}")[0], r"^\+OK bob is offline; the message is stored")
        return alice

    def check_read_mostly(self, server):
        log = server.log()
        self.assertIn("is full", log)
        self.assertIn("edgehubd runs read-mostly", log)
        self.assertRegex(log, r"writes need about \d+ bytes")
        # Reads: bob logs in and gets what was stored before the disk filled.
        bob = self.raw_login(server, "bob")
        bob.expect(r"^!OFFLINE 1$")
        bob.expect(r"^!STOREDMSG \S+ alice " + re.escape(KEPT) + "$")
        alice = self.raw_login(server, "alice")
        self.assertEqual(reply_to(alice, "list"), ["+OK The repository is empty"])
        self.assertIn("bob", " ".join(reply_to(alice, "AED")), "presence works")
        # Writes: each one stored or refused with 507, never acknowledged
        # unless stored. After a kill -9 SQLite may reuse the space of its
        # old WAL for the first few, so enough are sent to need new space.
        acknowledged = []
        for i in range(300):
            text = f"{i} " + "x" * 2000
            reply = reply_to(alice, f"message carol {text}")[0]
            if reply.startswith("+OK carol is offline"):
                acknowledged.append(text)
            else:
                self.assertRegex(reply, r"^-ERR 507 The server's disk is full: nothing was stored; try again later")
        self.assertLess(len(acknowledged), 300, "the full disk refused some")
        return alice, acknowledged

    def test_restart_after_kill9_on_a_full_disk_serves_reads_and_refuses_writes(self):
        disk = small_disk(self, 4)
        with Server(data_dir=disk.path("data")) as server:
            self.store_for_bob(server)
            server.kill9()  # alice's login stays open; WAL and index files stay behind
            fill = disk.fill()
            server.start()
            self.assertIn("logins an earlier run left open stay open", server.log())
            alice, acknowledged = self.check_read_mostly(server)
            os.remove(fill)  # room again: writes work without a restart
            self.assertRegex(reply_to(alice, "message carol now there is room")[0], r"^\+OK carol is offline")
            carol = self.raw_login(server, "carol")  # gets exactly what was acknowledged
            carol.expect(rf"^!OFFLINE {len(acknowledged) + 1}$")
            for text in acknowledged + ["now there is room"]:
                carol.expect(r"^!STOREDMSG \S+ alice " + re.escape(text) + "$")

    def test_restart_after_a_clean_stop_on_a_full_disk(self):
        # A clean stop removes SQLite's index file (-shm), which a full disk
        # cannot hold again: the database is opened in exclusive mode.
        disk = small_disk(self, 4)
        with Server(data_dir=disk.path("data")) as server:
            self.store_for_bob(server)
            self.assertEqual(server.stop(), 0)
            fill = disk.fill()
            server.start()
            self.check_read_mostly(server)
            self.assertEqual(server.stop(), 0)
            # A second start, still full, with a changed credentials file:
            # the new account works from memory (it cannot be stored yet).
            server.credentials["zed"] = "z3d-pass"
            with open(server.credentials_path, "a") as f:
                f.write("zed z3d-pass\n")
            server.start()
            self.assertIn("accounts of", server.log())
            self.assertIn("are used from memory and stored at a later start", server.log())
            self.raw_login(server, "zed")
            os.remove(fill)
            self.assertRegex(reply_to(self.raw_login(server, "dave"), "message erin hi")[0],
                             r"^\+OK erin is offline")


class FullDiskUpload(HubTestCase):
    def test_an_upload_that_does_not_fit_is_refused_and_leaves_nothing(self):
        """UED of ~31 MB into a 16 MiB disk: the writes past the page cache
        (docs/EDGE_DATA.md#ued-on-the-wire) meet ENOSPC, the upload gets a
        507, its temporary goes, and a small upload then fits."""
        disk = small_disk(self, 16)
        with Server(data_dir=disk.path("data")) as server:
            alice = server.client("alice", env={**os.environ, "EDGEHUB_SEED": "1"})
            alice.command("EDG 1 3000000", r"Data generation done", timeout=120)
            alice.command("UED 1", r"the server's disk is full; nothing was stored", timeout=120)
            device_dir = server.path("uploads", "alice")
            wait_until(lambda: not [n for n in os.listdir(device_dir) if n.startswith(".upload-")],
                       what="the temporary removed")
            with open(os.path.join(alice.cwd, "alice-2.txt"), "w") as f:
                f.write("1\n2\n3\n")
            alice.command("UED 2", r"file 2 uploaded: 3 values")
            alice.command("SCS 2 SUM", r"^file 2: SUM = 6$")

