"""Security events in the server's log, one parseable line each, and the
fail2ban filter in contrib/ matching them (docs/SECURITY.md#security-log):
Debian's fail2ban-regex is run against the real log."""
import os
import re
import subprocess
import unittest

from harness import HubTestCase, Server, raw_login, reply_to, wait_until

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FILTER = os.path.join(REPO, "contrib", "fail2ban", "filter.d", "edgehubd.conf")


class SecurityLogTest(HubTestCase):
    def test_events_are_logged_and_matched_by_the_fail2ban_filter(self):
        server = Server("--max-attempts", "2", "--block-seconds", "60")
        self.addCleanup(server.stop)
        conn = self.raw(server)
        conn.expect(r"^\+OK EDGEHUB/")
        self.assertTrue(reply_to(conn, "login bob wrong")[0].startswith("-ERR"))          # login_failed
        self.assertTrue(reply_to(conn, "login x%20addr=10.9.8.7 nope")[0].startswith("-ERR"))  # login_failed, crafted name
        self.assertTrue(reply_to(conn, "resume alice not-a-token")[0].startswith("-ERR"))  # resume_failed
        self.assertTrue(reply_to(conn, "login bob wrong")[0].startswith("-ERR"))          # lockout
        again = self.raw(server)
        again.expect(r"^\+OK EDGEHUB/")
        self.assertTrue(reply_to(again, "login bob wrong")[0].startswith("-ERR"))         # blocked_attempt
        alice = raw_login(server, "alice")
        self.addCleanup(alice.close)
        self.assertTrue(reply_to(alice, "get ../../etc/passwd")[0].startswith("-ERR"))     # path_refused
        expected = ["login_failed", "login_failed", "resume_failed", "lockout", "blocked_attempt", "path_refused"]
        wait_until(lambda: len(re.findall(r"security: event=", server.log())) >= len(expected),
                   what="the security lines in the log")
        server.stop()
        log = server.log()
        events = re.findall(r"security: event=(\w+) addr=(\S+) user=(\S+)", log)
        self.assertEqual([e[0] for e in events], expected, log)
        self.assertTrue(all(e[1] == "127.0.0.1" for e in events), events)
        self.assertNotIn("wrong", "\n".join(line for line in log.splitlines() if "security:" in line))

        self.assertEqual(fail2ban_matches(server.stderr_path), len(expected))

    def test_an_abuse_limit_is_matched_by_the_fail2ban_filter(self):
        server = Server("--max-per-address", "1")
        self.addCleanup(server.stop)
        first = self.raw(server)
        first.expect(r"^\+OK EDGEHUB/")
        second = self.raw(server)
        second.expect(r"^-ERR 429 Too many connections from your address")
        wait_until(lambda: "security: event=limit" in server.log(), what="the limit in the log")
        server.stop()
        self.assertRegex(server.log(), r"security: event=limit addr=127\.0\.0\.1 user=- detail=per_address")
        self.assertEqual(fail2ban_matches(server.stderr_path), 1)


def fail2ban_matches(log_path):
    """How many lines of the log Debian's fail2ban-regex matches with our filter."""
    out = subprocess.run(["fail2ban-regex", "--print-all-matched", log_path, FILTER],
                         capture_output=True, text=True, timeout=120).stdout
    total = re.search(r"Failregex: (\d+) total", out)
    assert total is not None, out
    return int(total.group(1))


if __name__ == "__main__":
    unittest.main()
