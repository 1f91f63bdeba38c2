"""Backup and restore (docs/OPERATIONS.md#backup-and-restore): `edgehubd
backup` while a sender keeps storing offline messages, `edgehubd restore`
into a new directory, and a server on it that delivers every message
acknowledged before the backup started, in order; files and edge data
survive; the refusals leave nothing behind."""
import os
import shutil
import tempfile
import threading
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, raw_login, reply_to, run_edgehubd
from postgres_database import TEST_POSTGRES
from test_files import raw_put


def setUpModule():
    if TEST_POSTGRES:
        raise unittest.SkipTest("edgehubd backup copies a SQLite data directory; run it without EDGEHUB_TEST_DATABASE")


class OfflineSender(threading.Thread):
    """alice stores messages m0, m1, ... for bob, who is offline, each sent
    once the previous one was acknowledged, until stop()."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.conn = raw_login(server, "alice")
        self.acked = 0
        self.error = None
        self.changed = threading.Condition()
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.is_set():
                reply = reply_to(self.conn, f"message bob m{self.acked}")[0]
                if not reply.startswith("+OK bob is offline"):
                    raise AssertionError(f"not stored: {reply}")
                with self.changed:
                    self.acked += 1
                    self.changed.notify_all()
        except Exception as e:  # noqa: BLE001 (reported by wait_for)
            with self.changed:
                self.error = e
                self.changed.notify_all()

    def wait_for(self, count):
        with self.changed:
            self.changed.wait_for(lambda: self.acked >= count or self.error, DEFAULT_TIMEOUT)
            if self.error:
                raise AssertionError(f"the sender failed: {self.error}")
            if self.acked < count:
                raise AssertionError(f"only {self.acked} of {count} messages acknowledged")
            return self.acked

    def stop(self):
        self.stopping.set()
        self.join(DEFAULT_TIMEOUT)
        self.conn.close()


def stored_messages_at_login(server, name):
    """Logs name in and returns the texts of the stored direct messages it is
    given (!OFFLINE N, then N of them)."""
    conn = server.raw()
    conn.expect(r"^\+OK EDGEHUB/\d+ ")
    conn.send(f"login {name} {server.credentials[name]}\n")
    total = int(conn.expect(r"^!OFFLINE \d+$").split()[1])
    texts = []
    while len(texts) < total:
        line = conn.expect(r"^!STOREDMSG ")
        texts.append(line.split(" ", 3)[3])
    conn.close()
    return texts


def edgehubd(*args):
    code, out, err = run_edgehubd(*args, timeout=DEFAULT_TIMEOUT * 3)
    return code, out, err


class BackupTestCase(HubTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="edgehub-it-backup-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def at(self, *parts):
        return os.path.join(self.tmp, *parts)

    def assert_nothing_left(self, name):
        """Neither NAME nor a NAME.partial-* in the temporary directory."""
        self.assertEqual([e for e in os.listdir(self.tmp) if e.startswith(name)], [])


class BackupUnderLoad(BackupTestCase):
    def test_every_message_acknowledged_before_the_backup_is_restored(self):
        photo = os.urandom(300_000)
        with Server("--max-offline", "1000000") as server:
            carol = self.raw_login(server, "carol")
            self.assertRegex(raw_put(carol, "photo.bin", photo)[1], r"^\+OK")
            dave = self.client(server, "dave", env={**os.environ, "EDGEHUB_SEED": "5"})
            dave.command("EDG 2 500", r"Data generation done")
            dave.command("UED 2", r"file 2 uploaded: 500 values")
            total = dave.command("SCS 2 SUM", r"^file 2: SUM = (-?\d+)$").group(1)
            sender = OfflineSender(server)
            sender.start()
            self.addCleanup(sender.stop)
            acked_before = sender.wait_for(200)  # all of these before the backup starts
            code, out, err = edgehubd("backup", self.at("backup"), "--data-dir", server.data_dir)
            self.assertEqual(code, 0, err)
            self.assertRegex(out, r"^Backed up .* files: 1 hard-linked")  # dave's data file (its statistics are copied)
            sender.wait_for(sender.acked + 20)  # the server kept storing
            sender.stop()
            # The repository serves only files with one link: the backup copied them.
            self.assertIn("photo.bin", " ".join(reply_to(carol, "list")))
        with open(self.at("backup", "edgehub-backup.txt")) as f:
            manifest = f.read()
        self.assertRegex(manifest, r"^edgehub-backup 1\ncreated: ")
        self.assertFalse(os.path.exists(self.at("backup", "edgehubd.lock")))

        code, out, err = edgehubd("restore", self.at("backup"), "--data-dir", self.at("restored"))
        self.assertEqual(code, 0, err)
        self.assertIn("passed its integrity check", out)
        with Server(data_dir=self.at("restored")) as again:
            texts = stored_messages_at_login(again, "bob")
            self.assertGreaterEqual(len(texts), acked_before)
            self.assertEqual(texts, [f"m{i}" for i in range(len(texts))], "lost, duplicated or reordered")
            listing = reply_to(self.raw_login(again, "carol"), "list")
            self.assertTrue(any("photo.bin" in line for line in listing), listing)
            with open(again.path("files", "photo.bin"), "rb") as f:
                self.assertEqual(f.read(), photo)
            self.client(again, "dave").command("SCS 2 SUM", rf"^file 2: SUM = {total}$")


class BackupByCopy(BackupTestCase):
    def test_edge_data_keeps_its_statistics_when_copied(self):
        with Server() as server:
            alice = self.client(server, "alice", env={**os.environ, "EDGEHUB_SEED": "7"})
            alice.command("EDG 3 1000", r"Data generation done")
            alice.command("UED 3", r"file 3 uploaded: 1000 values")
            total = alice.command("SCS 3 SUM", r"^file 3: SUM = (-?\d+)$").group(1)
            code, _, err = edgehubd("backup", self.at("backup"), "--data-dir", server.data_dir, "--copy")
            self.assertEqual(code, 0, err)
        with open(self.at("backup", "edgehub-backup.txt")) as f:
            self.assertRegex(f.read(), r"files: 0 hard-linked")
        code, out, err = edgehubd("restore", self.at("backup"), "--data-dir", self.at("restored"), "--copy")
        self.assertEqual(code, 0, err)
        self.assertIn("files: 0 hard-linked", out)
        with Server(data_dir=self.at("restored")) as again:
            alice = self.client(again, "alice")
            alice.command("SCS 3 SUM", rf"^file 3: SUM = {total}$")


class RepositoryOutsideTheDataDirectory(BackupTestCase):
    def test_backup_and_restore_with_files_elsewhere(self):
        """edgehubd --files REPO: backup --files REPO copies that repository
        into DEST/files, restore --files NEW puts it back there."""
        photo = os.urandom(100_000)
        repo = self.at("shared-files")
        os.mkdir(repo)
        with Server("--files", repo) as server:
            carol = self.raw_login(server, "carol")
            self.assertRegex(raw_put(carol, "photo.bin", photo)[1], r"^\+OK")
            code, _, err = edgehubd("backup", self.at("plain"), "--data-dir", server.data_dir)
            self.assertEqual(code, 0, err)
            self.assertIn("give the same --files to back it up", err)
            code, out, err = edgehubd("backup", self.at("backup"), "--data-dir", server.data_dir, "--files", repo)
            self.assertEqual(code, 0, err)
            self.assertIn("photo.bin", " ".join(reply_to(carol, "list")), "still served: copied, not linked")
        with open(self.at("backup", "files", "photo.bin"), "rb") as f:
            self.assertEqual(f.read(), photo)
        with open(self.at("backup", "edgehub-backup.txt")) as f:
            self.assertIn(f"repository: files/, copied from {os.path.realpath(repo)} (--files)", f.read())

        new_repo = self.at("restored-files")
        code, out, err = edgehubd("restore", self.at("backup"), "--data-dir", self.at("restored"),
                                  "--files", new_repo)
        self.assertEqual(code, 0, err)
        self.assertIn(f"--files {new_repo}", out)
        self.assertFalse(os.path.exists(self.at("restored", "files")), "the repository went to --files")
        with Server("--files", new_repo, data_dir=self.at("restored")) as again:
            listing = reply_to(self.raw_login(again, "carol"), "list")
            self.assertTrue(any("photo.bin" in line for line in listing), listing)
        with open(os.path.join(new_repo, "photo.bin"), "rb") as f:
            self.assertEqual(f.read(), photo)

    def test_restore_refuses_a_repository_that_is_not_empty(self):
        with Server() as server:
            code, _, err = edgehubd("backup", self.at("backup"), "--data-dir", server.data_dir)
            self.assertEqual(code, 0, err)
        os.mkdir(self.at("busy"))
        open(self.at("busy", "x"), "w").close()
        code, _, err = edgehubd("restore", self.at("backup"), "--data-dir", self.at("restored"),
                                "--files", self.at("busy"))
        self.assertEqual(code, 1)
        self.assertIn("--files", err)
        self.assertFalse(os.path.exists(self.at("restored")))


class BackupWhileEdgeDataIsReplaced(BackupTestCase):
    def test_each_edge_data_file_comes_with_its_own_statistics(self):
        with Server() as server:
            dave = self.client(server, "dave", env={**os.environ, "EDGEHUB_SEED": "9"})
            dave.command("EDG 2 20000", r"Data generation done")
            dave.command("UED 2", r"file 2 uploaded")
            errors = []

            def reupload():  # each one a new inode and a new record, the old record removed
                try:
                    for _ in range(30):
                        dave.command("UED 2", r"file 2 uploaded: 20000 values")
                except Exception as e:  # noqa: BLE001 (checked below)
                    errors.append(e)

            uploader = threading.Thread(target=reupload, daemon=True)
            uploader.start()
            backups = 0
            while uploader.is_alive() or backups == 0:
                dest = self.at(f"b{backups}")
                code, _, err = edgehubd("backup", dest, "--data-dir", server.data_dir)
                self.assertEqual((code, err), (0, ""))
                device = os.path.join(dest, "uploads", "dave")
                inode = os.stat(os.path.join(device, "dave-2.txt")).st_ino
                records = [name for name in os.listdir(device) if name.startswith(".")]
                self.assertEqual(records, [f".dave-2.stats.{inode}"], f"backup {backups}")
                shutil.rmtree(dest)
                backups += 1
            uploader.join(DEFAULT_TIMEOUT)
            self.assertEqual(errors, [])


class Refusals(BackupTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def backup(self):
        code, _, err = edgehubd("backup", self.at("backup"), "--data-dir", self.server.data_dir)
        self.assertEqual(code, 0, err)
        return self.at("backup")

    def test_backup_into_a_directory_that_is_not_empty(self):
        os.makedirs(self.at("full"))
        open(self.at("full", "keep"), "w").close()
        code, _, err = edgehubd("backup", self.at("full"), "--data-dir", self.server.data_dir)
        self.assertEqual(code, 1)
        self.assertIn("is not empty", err)
        self.assertEqual(os.listdir(self.at("full")), ["keep"])
        self.assert_nothing_left("full.partial")

    def test_backup_of_a_directory_without_a_database(self):
        os.makedirs(self.at("nothing"))
        code, _, err = edgehubd("backup", self.at("dest"), "--data-dir", self.at("nothing"))
        self.assertEqual(code, 1)
        self.assertIn("holds no edgehub.db", err)
        self.assert_nothing_left("dest")

    def test_backup_of_postgresql_names_pg_dump(self):
        code, _, err = edgehubd("backup", self.at("dest"), "--database", "postgresql://edgehub@127.0.0.1:1/edgehub")
        self.assertEqual(code, 1)
        self.assertIn("pg_dump", err)
        self.assert_nothing_left("dest")

    def test_restore_into_a_directory_that_is_not_empty(self):
        source = self.backup()
        os.makedirs(self.at("full"))
        open(self.at("full", "keep"), "w").close()
        code, _, err = edgehubd("restore", source, "--data-dir", self.at("full"))
        self.assertEqual(code, 1)
        self.assertIn("is not empty", err)
        self.assertEqual(os.listdir(self.at("full")), ["keep"])

    def test_restore_over_a_running_server(self):
        code, _, err = edgehubd("restore", self.backup(), "--data-dir", self.server.data_dir)
        self.assertEqual(code, 1)
        self.assertRegex(err, r"an edgehubd \(pid \d+\) is running on")
        self.assertTrue(self.server.alive())

    def test_restore_of_something_that_is_not_a_backup(self):
        code, _, err = edgehubd("restore", self.server.data_dir, "--data-dir", self.at("restored"))
        self.assertEqual(code, 1)
        self.assertIn("is not an edgehubd backup", err)
        self.assert_nothing_left("restored")

    def test_restore_of_a_damaged_database_leaves_nothing(self):
        source = self.backup()
        with open(os.path.join(source, "edgehub.db"), "r+b") as db:
            db.seek(0)
            db.write(b"not a database at all, no" * 8)
        code, _, err = edgehubd("restore", source, "--data-dir", self.at("restored"))
        self.assertEqual(code, 1)
        self.assertIn("the backup's database cannot be used", err)
        self.assert_nothing_left("restored")

    def test_usage_errors(self):
        code, _, _ = edgehubd("restore", self.at("x"))
        self.assertEqual(code, 2)  # --data-dir is required
        code, out, _ = edgehubd("backup", "--help")
        self.assertEqual(code, 0)
        self.assertIn("Usage: edgehubd backup DEST", out)


if __name__ == "__main__":
    unittest.main()
