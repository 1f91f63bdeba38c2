"""/metrics and /api/v1/admin/stats of a real edgehubd (docs/METRICS.md),
fetched with curl: promtool accepts the output of a server that has seen
logins, messages and commands, and the counters move as those did."""
import shutil
import subprocess
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, reply_to

PROMTOOL = shutil.which("promtool")


def curl(server, path, *args):
    """(HTTP status, body) of a GET on the server's HTTP port."""
    proc = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *args,
                           f"http://127.0.0.1:{server.http_port}{path}"],
                          capture_output=True, timeout=DEFAULT_TIMEOUT, check=True)
    body, _, status = proc.stdout.decode().rpartition("\n")
    return int(status), body


def samples(text):
    """{'name{labels}': value} of every sample line."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            found[key] = float(value)
    return found


class MetricsTest(HubTestCase):
    def scrape(self, server):
        status, body = curl(server, "/metrics")
        self.assertEqual(status, 200, body)
        return body

    @unittest.skipUnless(PROMTOOL, "promtool (Debian package prometheus) is not installed: scripts/install-deps.sh")
    def test_promtool_accepts_the_output_of_a_busy_server(self):
        with Server(http=True) as server:
            alice = self.raw_login(server, "alice")
            bob = self.raw_login(server, "bob")
            self.assertTrue(reply_to(alice, "message bob hello")[0].startswith("+OK"))
            bob.expect(r"^!MSG alice hello")
            reply_to(alice, "message carol later")  # offline: stored
            reply_to(alice, "AED")
            reply_to(bob, "frobnicate")
            stranger = self.raw(server)
            stranger.expect(r"^\+OK EDGEHUB/")
            self.assertTrue(reply_to(stranger, "login dave wrong")[0].startswith("-ERR"))
            text = self.scrape(server)
            check = subprocess.run([PROMTOOL, "check", "metrics"], input=text.encode(), capture_output=True,
                                   timeout=DEFAULT_TIMEOUT)
            self.assertEqual(check.returncode, 0, check.stdout.decode() + check.stderr.decode())
            got = samples(text)
            self.assertEqual(got['edgehub_sessions{state="logged_in"}'], 2)
            self.assertEqual(got['edgehub_messages_routed_total'], 1)
            self.assertEqual(got['edgehub_messages_stored_total'], 1)
            self.assertEqual(got['edgehub_commands_total{command="unknown"}'], 1)
            self.assertEqual(got['edgehub_commands_total{command="AED"}'], 1)
            self.assertGreater(got['edgehub_received_bytes_total{feature="messaging"}'], 0)
            self.assertGreater(got['edgehub_sent_bytes_total{feature="messaging"}'], 0)
            self.assertGreaterEqual(got['edgehub_store_commit_seconds_count'], 1)

    def test_logins_count_by_result(self):
        with Server(http=True) as server:
            before = samples(self.scrape(server))
            self.raw_login(server, "alice")
            moved = samples(self.scrape(server))
            ok, bad = 'edgehub_logins_total{result="ok"}', 'edgehub_logins_total{result="bad_password"}'
            self.assertEqual(moved[ok] - before[ok], 1)
            self.assertEqual(moved[bad] - before[bad], 0)
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB/")
            self.assertTrue(reply_to(conn, "login bob not-his-password")[0].startswith("-ERR 401"))
            after = samples(self.scrape(server))
            self.assertEqual(after[ok] - moved[ok], 0)
            self.assertEqual(after[bad] - moved[bad], 1)

    def test_metrics_is_prometheus_text_and_stats_need_an_admin(self):
        with Server(http=True) as server:
            proc = subprocess.run(["curl", "-sS", "-D", "-", "-o", "/dev/null",
                                   f"http://127.0.0.1:{server.http_port}/metrics"],
                                  capture_output=True, timeout=DEFAULT_TIMEOUT, check=True)
            headers = proc.stdout.decode().lower()
            self.assertRegex(headers, r"content-type: text/plain; version=0\.0\.4")
            status, body = curl(server, "/api/v1/admin/stats")
            self.assertEqual(status, 401, body)
            self.assertRegex(body, r'"code"\s*:\s*"\w+"')


if __name__ == "__main__":
    unittest.main()
