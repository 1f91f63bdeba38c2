"""What edgehubd checks before it serves (README.md#the-server): its data
directory is its own (a lock file with its pid), its port is free, and
somebody can log in. A refusal says why on stderr, exits 2, and changes
nothing."""
import os
import re
import shutil
import tempfile

from harness import HubTestCase, Server, reply_to, run_edgehubd, wait_until
from postgres_database import query_store

CHEAP = ("--argon2-ops", "1", "--argon2-mem-kib", "64")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def open_logins(data_dir):
    """Logins the database holds as still open."""
    return [r[0] for r in query_store(data_dir, "SELECT name FROM logins WHERE logout_unix IS NULL")]


class DataDirectoryLock(HubTestCase):
    def test_a_second_server_on_the_same_data_directory_is_refused_and_changes_nothing(self):
        with Server() as first:
            alice = self.raw_login(first, "alice")
            device_log = first.path("edge-device-log.txt")
            wait_until(lambda: b"alice" in read(device_log) and open_logins(first.data_dir) == ["alice"],
                       what="alice in the device log and the database")
            before = read(device_log)
            status, out, err = run_edgehubd("--port", "0", "--data-dir", first.data_dir, "--credentials",
                                            first.credentials_path, *CHEAP)
            self.assertEqual(status, 2, err)
            self.assertIn(f"edgehubd: the data directory {first.data_dir} is in use by another edgehubd "
                          f"(pid {first.proc.pid})", err)
            self.assertEqual(out, "", "it never said it was listening")
            self.assertNotIn("logins left open", err)
            self.assertEqual(read(device_log), before, "the device log is untouched")
            self.assertEqual(open_logins(first.data_dir), ["alice"], "alice's login is still open")
            self.assertEqual(reply_to(alice, "AED"), ["+OK no other active edge devices"], "the first one serves on")

    def test_the_lock_file_holds_the_pid_and_a_restart_takes_it_over(self):
        with Server() as server:
            with open(server.path("edgehubd.lock")) as f:
                self.assertEqual(f.read().strip(), str(server.proc.pid))
            server.restart()  # the lock went with the old process
            with open(server.path("edgehubd.lock")) as f:
                self.assertEqual(f.read().strip(), str(server.proc.pid))
            self.raw_login(server, "alice")


class PortInUse(HubTestCase):
    def test_a_port_in_use_is_said_plainly_before_any_password_is_hashed(self):
        root = tempfile.mkdtemp(prefix="edgehub-it-port-")
        self.addCleanup(shutil.rmtree, root, True)
        creds = os.path.join(root, "credentials.txt")
        with open(creds, "w") as f:
            f.write("zoe z0e\n")
        data = os.path.join(root, "data")
        with Server() as first:
            status, out, err = run_edgehubd("--port", str(first.port), "--data-dir", data, "--credentials", creds)
        self.assertEqual(status, 2, err)
        self.assertEqual(err.strip(), f"edgehubd: cannot listen on 127.0.0.1:{first.port}: address already in use "
                                      "(is another edgehubd running?)")
        self.assertEqual(out, "")
        self.assertFalse(os.path.exists(data), "refused before the data directory was made")


class Credentials(HubTestCase):
    def test_a_missing_credentials_file_with_no_accounts_is_an_error(self):
        root = tempfile.mkdtemp(prefix="edgehub-it-creds-")
        self.addCleanup(shutil.rmtree, root, True)
        data = os.path.join(root, "data")
        missing = os.path.join(root, "missing.txt")
        status, out, err = run_edgehubd("--port", "0", "--data-dir", data, "--credentials", missing)
        self.assertEqual(status, 2, err)
        self.assertRegex(err, r"^edgehubd: cannot read the credentials file " + re.escape(missing)
                         + r": no such file or directory, and the database has no accounts yet; .*--guest")
        self.assertEqual(out, "")
        self.assertFalse(os.path.exists(data), "nothing was created")

    def test_a_database_with_no_accounts_and_no_credentials_file_is_an_error_too(self):
        server = Server(credentials={})  # an empty file: a database with no accounts
        self.addCleanup(shutil.rmtree, server.root, True)
        server.stop()
        os.remove(server.credentials_path)
        status, _out, err = run_edgehubd("--port", "0", "--data-dir", server.data_dir, "--credentials",
                                         server.credentials_path, *CHEAP)
        self.assertEqual(status, 2, err)
        self.assertIn("the database has no accounts yet", err)

    def test_a_missing_credentials_file_keeps_the_stored_accounts(self):
        with Server() as server:
            os.rename(server.credentials_path, server.credentials_path + ".gone")
            server.restart()
            self.assertIn(f"cannot read the credentials file {server.credentials_path}: no such file or directory; "
                          "keeping the 6 stored accounts", server.log())
            self.raw_login(server, "alice")

    def test_guest_mode_needs_no_credentials_file_and_does_not_mention_it(self):
        with Server("--guest") as server:
            server.stop()
            os.remove(server.credentials_path)
            server.data_dir = os.path.join(server.root, "fresh")  # no database, no accounts
            open(server.stderr_path, "w").close()
            server.start()
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB/\d+ guest Client01 ")
            server.stop()
            self.assertNotIn("credentials file", server.log())
            self.assertNotIn("warn", server.log())

if __name__ == "__main__":
    import unittest
    unittest.main()
