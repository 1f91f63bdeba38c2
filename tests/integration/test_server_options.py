"""edgehubd's command line (README.md#the-server): invalid values are refused
with a clear message and exit code 2; the original positional form works."""
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import unittest

from harness import DEFAULT_TIMEOUT, EDGEHUBD, HubTestCase, LineReader, Server, reply_to, run_edgehubd
from postgres_database import TEST_POSTGRES, query_store

def refused(*args, port="0"):
    """Runs edgehubd with a throwaway data dir; returns (status, stderr).
    (--port 0: should a bad value be accepted, the server that starts by
    mistake binds nowhere in particular until it is killed.)"""
    with tempfile.TemporaryDirectory() as tmp:
        status, _out, err = run_edgehubd("--port", port, "--data-dir", os.path.join(tmp, "data"),
                                         "--credentials", os.path.join(tmp, "none.txt"), *args, timeout=10)
    return status, err


def free_tcp_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Refused(HubTestCase):
    def assert_refused(self, args, *words):
        status, err = refused(*args)
        self.assertEqual(status, 2, f"{args}: {err}")
        self.assertIn("edgehubd:", err, args)
        for word in words:
            self.assertIn(word, err, args)
        self.assertIn("--help", err, "the refusal says where to look")

    def test_max_attempts_out_of_range_or_not_a_number(self):
        for value in ("0", "6", "-1", "abc", "2.5", ""):
            self.assert_refused(["--max-attempts", value], "--max-attempts")

    def test_the_refusal_says_what_is_wrong_with_the_number(self):
        for args, message in ((["--max-attempts", "abc"], "--max-attempts: 'abc' is not a number"),
                              (["--max-attempts", "2.5"], "--max-attempts: '2.5' is not a whole number"),
                              (["--max-attempts", "6"], "--max-attempts: 6 is out of range (1 to 5)"),
                              (["--max-clients", "-1"], "--max-clients: -1 is out of range (0 to 100000000)"),
                              (["--heartbeat", "x"], "--heartbeat: 'x' is not a number"),
                              (["7475", "x"], "MAX_ATTEMPTS: 'x' is not a number")):
            self.assert_refused(args, "edgehubd: " + message)

    def test_unknown_option(self):
        self.assert_refused(["--frobnicate"], "frobnicate")

    def test_other_bad_values(self):
        self.assert_refused(["--block-seconds", "0"], "--block-seconds")
        self.assert_refused(["--block-seconds", "ten"], "--block-seconds")
        self.assert_refused(["--idle-timeout", "-5"], "--idle-timeout")
        self.assert_refused(["--bind", "not-an-address"], "not-an-address")
        self.assert_refused(["--max-clients", "many"], "--max-clients")
        self.assert_refused(["--swarm-max-files", "0"], "--swarm-max-files: 0 is out of range")
        self.assert_refused(["--swarm-max-chunks", "x"], "--swarm-max-chunks: 'x' is not a number")
        self.assert_refused(["--swarm-max-memory", "1K"], "--swarm-max-memory: 1024 is out of range")
        self.assert_refused(["--max-clients", "-1"], "--max-clients")  # was accepted as 2^64-1
        self.assert_refused(["--heartbeat", "x"], "--heartbeat")

    def test_positional_max_attempts_is_checked_too(self):
        for value in ("0", "6", "x"):
            status, err = refused("7475", value)
            self.assertEqual(status, 2, f"MAX_ATTEMPTS {value}: {err}")
            self.assertIn("MAX_ATTEMPTS", err)

    def test_too_many_positionals(self):
        status, _ = refused("7475", "3", "extra")
        self.assertEqual(status, 2)


class Help(HubTestCase):
    def test_help_exits_zero_and_lists_every_option(self):
        status, out, _err = run_edgehubd("--help", timeout=10)
        self.assertEqual(status, 0)
        for option in ("--port", "--bind", "--max-attempts", "--block-seconds", "--idle-timeout", "--max-clients",
                       "--guest", "--data-dir", "--credentials", "--files", "--heartbeat", "--login-timeout",
                       "--swarm-max-files", "--swarm-max-chunks", "--swarm-max-manifest-bytes", "--swarm-max-memory"):
            self.assertIn(option, out)
        self.assertIn("PORT [MAX_ATTEMPTS]", out)

    def test_help_reads_like_a_server_help(self):
        status, out, _err = run_edgehubd("--help", timeout=10)
        self.assertEqual(status, 0)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("Usage: edgehubd "), "usage comes first: " + lines[0])
        self.assertNotIn("Usage also", out)
        self.assertNotRegex(out, r"\b(U?INT|TEXT|FLOAT)\b|:\{| in \[|SIZE \[b", "no CLI11 type notes")
        headings = [line for line in lines if line.endswith(":") and not line.startswith(" ")]
        self.assertEqual(headings[:6], ["Network:", "Accounts and logins:", "Data directory and files:", "TLS:",
                                        "Limits:", "Logging:"])
        flat = " ".join(out.split())  # descriptions wrap
        for entry in ("--port N TCP port to listen on (0 = any free port) [default: 7475]",
                      "--max-attempts N consecutive failed logins before a block (1..5) [default: 3]",
                      "--data-dir DIR database, uploads and logs [default: edgehub-data]",
                      "--max-file-size SIZE largest file 'put' accepts",
                      "--threads N network threads [default: one per core]",
                      "--guest clients connect without credentials"):
            self.assertIn(entry, flat)
        self.assertLessEqual(max(len(line) for line in lines), 80)

    def test_version(self):
        status, out, _err = run_edgehubd("--version", timeout=10)
        self.assertEqual(status, 0)
        self.assertRegex(out, r"edgehubd \d+\.\d+")


class Positional(HubTestCase):
    def test_port_and_max_attempts_positional_form(self):
        port = free_tcp_port()
        # The harness passes --port 0; the positional PORT (the original
        # form) takes precedence, and MAX_ATTEMPTS sets the lockout.
        with Server(str(port), "1", "--block-seconds", "60") as server:
            self.assertEqual(server.port, port)
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB")
            self.assertRegex(reply_to(conn, "login alice wrong")[0], r"^-ERR 423 .*blocked",
                             "MAX_ATTEMPTS 1 blocks at the first failure")
            bob = self.raw_login(server, "bob")
            self.assertEqual(reply_to(bob, "AED"), ["+OK no other active edge devices"])

    def test_port_alone(self):
        port = free_tcp_port()
        with Server(str(port)) as server:
            self.assertEqual(server.port, port)
            self.raw_login(server, "alice")


class StartUp(HubTestCase):
    def test_port_in_use_is_a_clear_error(self):
        with Server() as first:
            status, err = refused(port=str(first.port))
            self.assertNotEqual(status, 0)
            self.assertIsNotNone(status, "must exit, not hang")
            self.assertRegex(err.lower(), r"address already in use|in use")

    def test_credentials_file_changes_are_reimported(self):
        with Server() as server:
            self.raw_login(server, "alice")
            with open(server.credentials_path, "w") as f:
                f.write("alice n3w-pass\nzoe z0e\nbad line with spaces\n")
            server.restart()
            self.assertIn("line 3", server.log())
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB")
            self.assertRegex(reply_to(conn, "login alice wonder1and")[0], r"^-ERR 401 ")
            self.assertEqual(reply_to(conn, "login alice n3w-pass"), ["+OK Welcome to edgehub, alice!"])
            server.credentials = {"alice": "n3w-pass", "zoe": "z0e"}
            self.raw_login(server, "zoe")

    def test_a_sigterm_during_the_credential_import_stops_cleanly_and_stores_nothing(self):
        root = tempfile.mkdtemp(prefix="edgehub-it-import-")
        self.addCleanup(shutil.rmtree, root, True)
        creds = os.path.join(root, "credentials.txt")
        with open(creds, "w") as f:  # about a minute of argon2 at this cost: the signal comes long before the end
            f.writelines(f"dev{i} pw{i}\n" for i in range(4000))
        data = os.path.join(root, "data")
        proc = subprocess.Popen([EDGEHUBD, "--port", "0", "--http-port", "0", "--data-dir", data, "--credentials", creds,
                                 "--argon2-ops", "1", "--argon2-mem-kib", "16384"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        err = LineReader(proc.stderr)
        err.expect(r"hashing 4000 passwords \(argon2id, ops 1, 16384 KiB\) on \d+ threads", what="edgehubd log")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=DEFAULT_TIMEOUT), 0)
        err.expect(r"stopped during the credential import; the stored accounts are unchanged", what="edgehubd log")
        self.assertEqual(proc.stdout.read(), b"", "it never started serving")
        db = sqlite3.connect(os.path.join(data, "edgehub.db"))
        self.addCleanup(db.close)
        self.assertEqual(db.execute("SELECT COUNT(*) FROM accounts").fetchone()[0], 0)
        self.assertIsNone(db.execute("SELECT value FROM meta WHERE key = 'credentials_digest'").fetchone(),
                          "the next start must import the file again")

    def test_passwords_are_not_stored_in_plain_text(self):
        with Server() as server:
            self.raw_login(server, "alice")
            db = b""
            for name in os.listdir(server.data_dir):  # the database, its WAL, the logs
                path = server.path(name)
                try:
                    with open(path, "rb") as f:
                        db += f.read()
                except (FileNotFoundError, IsADirectoryError):
                    # A directory, or a temporary renamed meanwhile (the
                    # device log is rewritten that way every 250 ms).
                    pass
            if TEST_POSTGRES:  # the accounts table of the suite's PostgreSQL database
                db += repr(query_store(server.data_dir, "SELECT * FROM accounts")).encode()
            for pw in server.credentials.values():
                self.assertNotIn(pw.encode(), db)
            self.assertIn(b"$argon2id$", db)


if __name__ == "__main__":
    unittest.main()
