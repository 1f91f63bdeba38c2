"""SIGHUP applies the limits and timeouts of a changed configuration file
while serving (docs/OPERATIONS.md#reloading-sighup), one log line each; an
option that needs a restart is named in the log at every SIGHUP and stays
as it was. Nobody is dropped by the reload itself."""
import os
import signal
import tempfile
import unittest

from harness import HubTestCase, Server, raw_login, reply_to, wait_until
from test_backup import stored_messages_at_login

SHA = "0" * 64
READY = r"^\+OK Ready for "


class Reload(HubTestCase):
    def configured_server(self, text):
        self.config = os.path.join(tempfile.mkdtemp(prefix="edgehub-conf-"), "edgehubd.conf")
        self.write_config(text)
        server = Server("--config", self.config)
        self.addCleanup(server.__exit__, None, None, None)
        return server

    def write_config(self, text):
        with open(self.config, "w") as f:
            f.write(text)

    def reload(self, server, text, *log_lines):
        self.write_config(text)
        server.proc.send_signal(signal.SIGHUP)
        for line in log_lines:
            wait_until(lambda line=line: line in server.log(), what=line)

    def test_new_limits_hold_from_the_sighup_on(self):
        server = self.configured_server("max-file-size = 1000\nmax-offline = 1\nswarm-max-chunks = 4\n")
        alice = raw_login(server, "alice")
        self.addCleanup(alice.close)
        self.assertRegex(reply_to(alice, f"put big 2000 {SHA}")[0], r"^-ERR 413 .* accepts is 1000 bytes .*--max-file-size")
        self.assertRegex(reply_to(alice, "message bob one")[0], r"^\+OK bob is offline")
        self.assertRegex(reply_to(alice, "message bob two")[0], r"^-ERR 413 bob already has 1 messages waiting")

        self.reload(server, "max-file-size = 3000\nmax-offline = 2\nswarm-max-chunks = 4\n",
                    "SIGHUP: --max-file-size 3000 (was 1000)", "SIGHUP: --max-offline 2 (was 1)",
                    "SIGHUP: reload done")
        self.assertNotIn("--swarm-max-chunks", server.log(), "unchanged: not named")
        self.assertRegex(reply_to(alice, f"put big 2000 {SHA}")[0], READY)
        self.assertRegex(reply_to(alice, "$0")[0], r"^-ERR ", "an empty upload of 2000 bytes: refused, in step")
        self.assertRegex(reply_to(alice, "message bob two")[0], r"^\+OK bob is offline")
        self.assertRegex(reply_to(alice, "message bob three")[0], r"^-ERR 413 bob already has 2 messages waiting")
        self.assertEqual(stored_messages_at_login(server, "bob"), ["one", "two"])

    def test_a_new_idle_timeout_logs_out_a_silent_device(self):
        server = self.configured_server("idle-timeout = 0\n")
        alice = raw_login(server, "alice")
        self.addCleanup(alice.close)
        self.reload(server, "idle-timeout = 1\n", "SIGHUP: --idle-timeout 1 (was 0)")
        alice.expect(r"^!BYE Logged out after 1 seconds without a command")

    def test_an_option_that_needs_a_restart_is_named_and_stays(self):
        server = self.configured_server("threads = 2\n")
        alice = raw_login(server, "alice")
        self.addCleanup(alice.close)
        named = "SIGHUP: --threads changed to 1; restart edgehubd to apply it (in force: 2)"
        self.reload(server, "threads = 1\n", named, "SIGHUP: reload done")
        self.reload(server, "threads = 1\nlog-level = debug\n", "SIGHUP: log level debug (was info)")
        wait_until(lambda: server.log().count("SIGHUP: reload done") == 2, what="the second reload")
        self.assertEqual(server.log().count(named), 2, "named again at the next SIGHUP: still not applied")
        self.assertEqual(reply_to(alice, "AED"), ["+OK no other active edge devices"], "nobody dropped")


if __name__ == "__main__":
    unittest.main()
