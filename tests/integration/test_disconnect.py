"""Disconnects (docs/PROTOCOL.md#6-liveness, README.md#the-server): kill -9 of
a client, a silent peer (heartbeat), the device log's format and
renumbering, and a clean SIGTERM shutdown of the server."""
import re
import signal
import unittest

from harness import HubTestCase, Server, reply_to, wait_until
from postgres_database import query_store

LOG_LINE = re.compile(r"^(\d+); (\d{2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}:\d{2}); ([^;]+); ([^;]+); (\d+)$")


def device_log(server):
    """edge-device-log.txt as (seq, name, ip, udp_port) tuples; every line
    must have the exact format of README.md#the-server."""
    with open(server.path("edge-device-log.txt")) as f:
        text = f.read()
    rows = []
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        if m is None:
            raise AssertionError(f"bad device log line: {line!r}")
        rows.append((int(m.group(1)), m.group(3), m.group(4), int(m.group(5))))
    return rows


def open_logins(server):
    return query_store(server.data_dir, "SELECT COUNT(*) FROM logins WHERE logout_unix IS NULL")[0][0]


def wait_for_log(server, expected, what):
    """The log is rewritten asynchronously after presence changes."""
    wait_until(lambda: device_log(server) == expected, what=f"device log {what}: want {expected}")


class Disconnect(HubTestCase):
    def test_kill9_updates_aed_and_device_log(self):
        # Seed bug 1: a client killed abruptly stayed listed as active.
        with Server() as server:
            alice = self.client(server, "alice", udp_port=6100)
            bob = self.client(server, "bob", udp_port=6101)
            carol = self.client(server, "carol", udp_port=6102)
            alice.expect(r"^carol logged in$")
            wait_for_log(server, [(1, "alice", "127.0.0.1", 6100), (2, "bob", "127.0.0.1", 6101),
                                  (3, "carol", "127.0.0.1", 6102)], "with three devices")
            bob.kill9()
            alice.expect(r"^bob logged out$")
            carol.expect(r"^bob logged out$")
            alice.send("AED")
            alice.expect(r"^carol, 127\.0\.0\.1, 6102, ")
            alice.send("whoelse")
            # The reply is a one-line list now: carol only.
            alice.expect(r"^carol, ")
            # bob was in the middle: carol is renumbered from 3 to 2.
            wait_for_log(server, [(1, "alice", "127.0.0.1", 6100), (2, "carol", "127.0.0.1", 6102)], "after kill -9")
            conn = self.raw_login(server, "dave")
            aed = reply_to(conn, "AED")
            self.assertEqual(aed[0], "*2 2 other active edge devices")
            self.assertNotIn("bob", "".join(aed))
            self.assertEqual(carol.finish(), 0)
            self.assertEqual(alice.finish(), 0)

    def test_device_log_renumbers_after_logout_in_the_middle(self):
        with Server() as server:
            wait_for_log(server, [], "empty at start-up")
            conns = {name: self.raw_login(server, name, udp_port=port)
                     for name, port in (("alice", 5001), ("bob", 5002), ("carol", 5003), ("dave", 5004))}
            wait_for_log(server, [(1, "alice", "127.0.0.1", 5001), (2, "bob", "127.0.0.1", 5002),
                                  (3, "carol", "127.0.0.1", 5003), (4, "dave", "127.0.0.1", 5004)], "four devices")
            self.assertEqual(reply_to(conns["bob"], "OUT"), ["+OK Bye, bob!"])
            wait_for_log(server, [(1, "alice", "127.0.0.1", 5001), (2, "carol", "127.0.0.1", 5003),
                                  (3, "dave", "127.0.0.1", 5004)], "after bob's logout")
            # A new login goes to the end; the logout of the first renumbers all.
            self.raw_login(server, "bob", udp_port=5012)
            self.assertEqual(reply_to(conns["alice"], "OUT"), ["+OK Bye, alice!"])
            wait_for_log(server, [(1, "carol", "127.0.0.1", 5003), (2, "dave", "127.0.0.1", 5004),
                                  (3, "bob", "127.0.0.1", 5012)], "after alice's logout")
            # A device that did not give a UDP port shows 0, not a gap.
            self.raw_login(server, "erin")
            wait_until(lambda: device_log(server)[-1:] == [(4, "erin", "127.0.0.1", 0)], what="erin in the log")

    def test_silent_peer_is_logged_out_by_heartbeat(self):
        with Server("--heartbeat", "1") as server:
            alice = self.client(server, "alice")
            bob = self.client(server, "bob")
            alice.expect(r"^bob logged in$")
            bob.stop_signal(signal.SIGSTOP)  # socket open, process silent
            try:
                alice.expect(r"^bob logged out$")
            finally:
                bob.stop_signal(signal.SIGCONT)
            # alice, equally idle but answering PINGs, is still online.
            alice.send("AED")
            alice.expect(r"^no other active edge devices$")
            # bob's client learns it was dropped once it runs again.
            bob.expect(r"No heartbeat answer|Connection to the server lost|closed")
            self.assertEqual(alice.finish(), 0)

    def test_raw_client_that_answers_pings_stays(self):
        # Also: --idle-timeout 0 means never (heartbeat answers are not commands).
        with Server("--heartbeat", "1", "--idle-timeout", "0") as server:
            conn = self.raw_login(server, "alice")
            for _ in range(2):  # two rounds: beyond the 2 s drop limit
                conn.expect(r"^!PING")
                conn.send("\n")  # a blank line answers, with no reply
            self.assertEqual(reply_to(conn, "echo alive"), ["+OK alive ACK"])

    def test_sigterm_shuts_down_cleanly_and_clients_see_bye(self):
        with Server() as server:
            alice = self.client(server, "alice")
            conn = self.raw_login(server, "bob")
            self.assertEqual(server.stop(signal.SIGTERM), 0)
            alice.expect(r"^Server shutting down")
            conn.expect(r"^!BYE Server shutting down")
            self.assertTrue(conn.closed_by_server())
            # Batch mode does not reconnect: it says so (on stderr, so in any
            # order with the lines above) and fails (docs/CLIENT.md#batch-mode).
            self.assertEqual(alice.finish(), 1)
            alice.out._thread.join(10)
            alice.out.drain()
            self.assertIn("edgehub: the server closed the connection; batch mode does not reconnect", alice.out.seen)
            self.assertIn("stopped cleanly", server.log())
            # Everything was flushed on the way out: nobody is left active.
            self.assertEqual(device_log(server), [])
            self.assertEqual(open_logins(server), 0)

    def test_sigterm_right_after_start_up_is_clean(self):
        # Regression: the handler was installed only once the server ran, a
        # moment after it announced its port; a SIGTERM in that moment
        # killed it (status -15) instead of shutting it down.
        with Server() as server:
            for attempt in range(10):
                self.assertEqual(server.stop(signal.SIGTERM), 0, f"attempt {attempt}")
                server.start()

    def test_sigint_too_and_restart_on_the_same_data(self):
        with Server() as server:
            self.raw_login(server, "alice", udp_port=6500)
            self.assertEqual(server.stop(signal.SIGINT), 0)
            server.start()  # same data directory
            self.assertEqual(device_log(server), [], "nobody is online after a restart")
            conn = self.raw_login(server, "alice")
            self.assertEqual(reply_to(conn, "AED"), ["+OK no other active edge devices"])

    def test_server_kill9_then_restart_closes_dangling_logins(self):
        with Server() as server:
            self.raw_login(server, "alice")
            self.raw_login(server, "bob")
            # Login records are written behind the reply (group commit): wait
            # until both are durable before pulling the plug.
            wait_until(lambda: open_logins(server) == 2, what="two open logins in the database")
            server.kill9()
            server.start()
            self.assertIn("closed 2 logins left open", server.log())
            self.raw_login(server, "alice")


if __name__ == "__main__":
    unittest.main()
