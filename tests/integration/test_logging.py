"""Where edgehubd logs, and SIGHUP (docs/OPERATIONS.md#logs,
docs/OPERATIONS.md#reloading-sighup): --log-file appends to a file that
SIGHUP reopens after logrotate moved it; under systemd (JOURNAL_STREAM names
stderr) each line carries its syslog priority for the journal; SIGHUP reads
the configuration again and applies the log level without dropping anyone."""
import os
import re
import signal
import tempfile
import unittest

from harness import HubTestCase, Server, raw_login, reply_to, run_edgehubd, wait_until

FAILED = "security: event=login_failed addr=127.0.0.1 user=bob"


def fail_a_login(server):
    """A warning in the log: a wrong password for bob."""
    conn = server.raw()
    try:
        conn.expect(r"^\+OK EDGEHUB/")
        conn.send("login bob wrong-password\n")
        conn.expect(r"^-ERR ")
    finally:
        conn.close()


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


class JournalServer(Server):
    """An edgehubd whose stderr is what JOURNAL_STREAM names, as under systemd."""

    def start(self):
        path = os.path.join(self.root, "edgehubd.log")
        open(path, "ab").close()
        st = os.stat(path)
        self.env = dict(os.environ, JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
        super().start()


class Logging(HubTestCase):
    def server(self, *args, **kwargs):
        server = Server(*args, **kwargs)
        self.addCleanup(server.__exit__, None, None, None)
        return server

    def test_the_log_file_is_reopened_at_sighup_after_logrotate_moved_it(self):
        log = os.path.join(tempfile.mkdtemp(prefix="edgehub-log-"), "edgehubd.log")
        server = self.server("--log-file", log)
        wait_until(lambda: "accounts (" in read(log), what="the start's lines in the log file")
        self.assertNotIn("accounts (", server.log(), "nothing of the log goes to stderr")
        fail_a_login(server)
        wait_until(lambda: FAILED in read(log), what="a warning in the log file")
        os.rename(log, log + ".1")
        alice = raw_login(server, "alice")
        self.addCleanup(alice.close)
        server.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: os.path.exists(log) and "SIGHUP: reload done: log file reopened" in read(log),
                   what="the reopened log file")
        self.assertIn(FAILED, read(log + ".1"), "written before the SIGHUP")
        fail_a_login(server)
        wait_until(lambda: FAILED in read(log), what="a warning in the new log file")
        self.assertEqual(reply_to(alice, "AED"), ["+OK no other active edge devices"], "SIGHUP dropped nobody")
        self.assertTrue(server.alive())

    def test_an_unwritable_log_file_refuses_the_start(self):
        code, _, err = run_edgehubd("--port", "0", "--log-file", "/nonexistent-dir/edgehubd.log")
        self.assertEqual(code, 2)
        self.assertIn("--log-file /nonexistent-dir/edgehubd.log: no such file or directory", err)

    def reloaded(self, level_before, level_after):
        """A server started with level_before in its configuration file,
        which then says level_after, and a SIGHUP."""
        config = os.path.join(tempfile.mkdtemp(prefix="edgehub-conf-"), "edgehubd.conf")
        with open(config, "w") as f:
            f.write(f"log-level = {level_before}\n")
        server = self.server("--config", config)
        with open(config, "w") as f:
            f.write(f"log-level = {level_after}\n")
        server.proc.send_signal(signal.SIGHUP)
        return server

    def test_sighup_applies_a_new_log_level_from_the_configuration_file(self):
        server = self.reloaded("error", "warn")
        wait_until(lambda: "SIGHUP: log level warn (was error)" in server.log(), what="the new level")
        wait_until(lambda: "SIGHUP: reload done" in server.log(), what="the summary")
        fail_a_login(server)
        wait_until(lambda: FAILED in server.log(), what="a warning logged after the reload")

    def test_a_configuration_broken_since_the_start_changes_nothing_at_sighup(self):
        server = self.reloaded("info", "loud")
        wait_until(lambda: "the configuration does not parse any more" in server.log(), what="the refusal")
        self.assertTrue(server.alive())

    def test_sighup_imports_the_credentials_file_again_without_dropping_anyone(self):
        server = self.server()
        alice = raw_login(server, "alice")
        self.addCleanup(alice.close)
        with open(server.credentials_path, "a") as f:
            f.write("zoe zoe-password\n")
        server.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: "accounts (imported again)" in server.log(), what="the import")
        wait_until(lambda: "accounts reloaded" in server.log(), what="the hub's reload of the accounts")
        zoe = raw_login(server, "zoe", password="zoe-password")
        self.addCleanup(zoe.close)
        self.assertEqual(reply_to(alice, "AED")[1].split(",")[0], "zoe", "alice is still logged in")

    def test_under_systemd_each_line_carries_its_priority_for_the_journal(self):
        server = JournalServer()
        self.addCleanup(server.__exit__, None, None, None)
        server.proc.send_signal(signal.SIGHUP)  # logs warnings
        wait_until(lambda: "<4>SIGHUP: " in server.log(), what="a warning with its priority")
        lines = [line for line in server.log().splitlines() if line]
        self.assertIn("<6>", lines[0][:3], lines[0])
        bad = [line for line in lines if not re.match(r"^<[2-7]>", line)]
        self.assertEqual(bad, [], "every line starts with a priority")
        self.assertIsNone(re.search(r"^<\d>\[\d{4}-", server.log(), re.M), "journald adds the time itself")


if __name__ == "__main__":
    unittest.main()
