"""Abuse limits (docs/SECURITY.md#abuse-limits): each limit refuses its
offender with one line and closes it, logs an aggregated security line, and
a device logged in from another address (127.0.0.2) is still answered.
Sources are distinct 127.0.0.x addresses (loopback accepts any of them and
is not exempt). Nothing here depends on speed: the limits are set low, and
the connection-rate case allows for refills while the test runs."""
import os
import re
import signal
import socket
import tempfile
import threading
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, wait_until
from tls_probe import stall_handshake, tls_handshake


class Conn:
    """A raw connection from a chosen 127.0.0.x source address."""

    def __init__(self, port, source):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.settimeout(DEFAULT_TIMEOUT)
        self.sock.bind((source, 0))
        self.sock.connect(("127.0.0.1", port))
        self.reader = self.sock.makefile("rb")

    def line(self):
        return self.reader.readline().decode("utf-8", "replace").rstrip("\r\n")

    def send(self, text):
        self.sock.sendall(text.encode())

    def closed_by_server(self):
        """True if the server closes without sending anything more."""
        return self.reader.read() == b""

    def close(self):
        self.reader.close()
        self.sock.close()


GREETING = r"^\+OK EDGEHUB/\d+ login "


class AbuseLimits(HubTestCase):
    def connect(self, server, source):
        conn = Conn(server.port, source)
        self.addCleanup(conn.close)
        return conn

    def device_elsewhere(self, server):
        """alice, logged in from 127.0.0.2 before the abuse starts."""
        alice = self.connect(server, "127.0.0.2")
        self.assertRegex(alice.line(), GREETING)
        alice.send(f"login alice {server.credentials['alice']}\n")
        self.assertEqual(alice.line(), "+OK Welcome to edgehub, alice!")
        return alice

    def assert_unaffected(self, alice):
        """alice's connection still answers a command (events may come first)."""
        alice.send("ping\n")
        while (line := alice.line()).startswith("!"):
            pass
        self.assertRegex(line, r"^\+OK ")

    def assert_logged(self, server, pattern):
        # The line is written before the refusal is sent; the file is read, not awaited.
        wait_until(lambda: re.search(pattern, server.log()), what=f"/{pattern}/ in the server log")

    def test_connections_per_address(self):
        with Server("--max-per-address", "3") as server:
            alice = self.device_elsewhere(server)
            held = [self.connect(server, "127.0.0.5") for _ in range(3)]
            for conn in held:
                self.assertRegex(conn.line(), GREETING)
            extra = self.connect(server, "127.0.0.5")
            self.assertEqual(extra.line(), "-ERR 429 Too many connections from your address (limit 3); try again later")
            self.assertTrue(extra.closed_by_server())
            other = self.connect(server, "127.0.0.6")
            self.assertRegex(other.line(), GREETING)
            self.assert_unaffected(alice)
            held[0].close()  # a place frees: the address may connect again
            wait_until(lambda: self._greeted(server, "127.0.0.5"), what="a new connection from 127.0.0.5")
            self.assert_logged(server, r"security: event=limit addr=127\.0\.0\.5 user=- detail=per_address limit=3")

    def test_sighup_applies_new_limits_to_new_connections(self):
        """docs/OPERATIONS.md#reloading-sighup: a limit raised in the
        configuration file holds from the SIGHUP on; nobody is dropped."""
        config = os.path.join(tempfile.mkdtemp(prefix="edgehub-conf-"), "edgehubd.conf")
        with open(config, "w") as f:
            f.write("max-per-address = 2\n")
        with Server("--config", config) as server:
            held = [self.connect(server, "127.0.0.5") for _ in range(2)]
            for conn in held:
                self.assertRegex(conn.line(), GREETING)
            self.assertEqual(self.connect(server, "127.0.0.5").line(),
                             "-ERR 429 Too many connections from your address (limit 2); try again later")
            with open(config, "w") as f:
                f.write("max-per-address = 3\n")
            server.proc.send_signal(signal.SIGHUP)
            wait_until(lambda: "SIGHUP: --max-per-address 3 (was 2)" in server.log(), what="the new limit")
            third = self.connect(server, "127.0.0.5")
            self.assertRegex(third.line(), GREETING)
            self.assertEqual(self.connect(server, "127.0.0.5").line(),
                             "-ERR 429 Too many connections from your address (limit 3); try again later")
            for conn in held:  # still open, and answered
                conn.send("AED\n")
                self.assertRegex(conn.line(), r"^-ERR ", "held across the reload")

    def _greeted(self, server, source):
        conn = self.connect(server, source)
        return conn.line().startswith("+OK EDGEHUB")

    def test_connection_rate_per_address(self):
        with Server("--connect-rate", "1", "--connect-burst", "3") as server:
            alice = self.device_elsewhere(server)
            refused = None
            # 3 at once, then one per second: a refusal comes within a few
            # more, however slowly this runs (each try takes far under 1 s).
            for _ in range(10):
                conn = self.connect(server, "127.0.0.5")
                line = conn.line()
                conn.close()
                if line.startswith("-ERR"):
                    refused = line
                    break
            self.assertEqual(refused, "-ERR 429 Too many new connections from your address (limit 1 per second); "
                                      "try again later")
            self.assertRegex(self.connect(server, "127.0.0.6").line(), GREETING)
            self.assert_unaffected(alice)
            self.assert_logged(server, r"event=limit addr=127\.0\.0\.5 user=- detail=connect_rate limit=1")

    def test_failed_logins_per_address(self):
        with Server("--max-failed-logins", "3") as server:
            alice = self.device_elsewhere(server)
            flood = self.connect(server, "127.0.0.5")
            self.assertRegex(flood.line(), GREETING)
            for i in range(3):  # distinct names: no per-name lockout
                flood.send(f"login nobody{i} wrong\n")
                self.assertRegex(flood.line(), r"^-ERR 401 ")
            flood.send("login nobody9 wrong\n")
            self.assertRegex(flood.line(), r"^-ERR 429 Too many failed logins from your address \(limit 3 per minute\); "
                                            r"try again in \d+ seconds?$")
            self.assertTrue(flood.closed_by_server())
            # The address, not the connection, has used its failures up: even
            # a right password waits.
            again = self.connect(server, "127.0.0.5")
            self.assertRegex(again.line(), GREETING)
            again.send(f"login bob {server.credentials['bob']}\n")
            self.assertRegex(again.line(), r"^-ERR 429 Too many failed logins")
            other = self.connect(server, "127.0.0.6")
            self.assertRegex(other.line(), GREETING)
            other.send(f"login bob {server.credentials['bob']}\n")
            self.assertEqual(other.line(), "+OK Welcome to edgehub, bob!")
            self.assert_unaffected(alice)
            self.assert_logged(server, r"event=limit addr=127\.0\.0\.5 user=- detail=failed_logins limit=3")

    def test_connections_not_logged_in(self):
        with Server("--max-unauthenticated", "2") as server:
            alice = self.device_elsewhere(server)  # logged in: not counted
            waiting = [self.connect(server, f"127.0.0.{5 + i}") for i in range(2)]
            for conn in waiting:
                self.assertRegex(conn.line(), GREETING)
            extra = self.connect(server, "127.0.0.7")
            self.assertEqual(extra.line(), "-ERR 503 Too many connections waiting to log in (limit 2); try again later")
            self.assertTrue(extra.closed_by_server())
            self.assert_unaffected(alice)
            waiting[0].send(f"login bob {server.credentials['bob']}\n")  # one fewer waiting
            self.assertEqual(waiting[0].line(), "+OK Welcome to edgehub, bob!")
            self.assertRegex(self.connect(server, "127.0.0.8").line(), GREETING)
            self.assert_logged(server, r"event=limit addr=127\.0\.0\.7 user=- detail=unauthenticated limit=2")

    def test_connections_in_all(self):
        with Server("--max-clients", "2") as server:
            alice = self.device_elsewhere(server)
            self.assertRegex(self.connect(server, "127.0.0.5").line(), GREETING)
            extra = self.connect(server, "127.0.0.6")
            self.assertEqual(extra.line(), "-ERR 503 Server full (limit 2 connections), try again later")
            self.assertTrue(extra.closed_by_server())
            self.assert_unaffected(alice)
            self.assert_logged(server, r"event=limit addr=127\.0\.0\.6 user=- detail=connections limit=2")

    def test_bytes_queued_in_all(self):
        # bob asks for far more than the cap and reads nothing until his
        # connection is refused; his queue is dropped, alice keeps her place.
        with Server("--max-queued-bytes", "1M") as server:
            alice = self.device_elsewhere(server)
            bob = self.connect(server, "127.0.0.5")
            bob.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            self.assertRegex(bob.line(), GREETING)
            bob.send(f"login bob {server.credentials['bob']}\n")
            self.assertEqual(bob.line(), "+OK Welcome to edgehub, bob!")
            sender = threading.Thread(target=self._send_quietly, args=(bob, "help\n" * 3000), daemon=True)
            sender.start()
            # The server has closed bob once his queue would pass the cap;
            # what he reads ends with the reason.
            self.assert_logged(server, r"event=limit addr=127\.0\.0\.5 user=- detail=queued_bytes limit=1048576")
            rest = bob.reader.read().decode("utf-8", "replace").splitlines()
            self.assertRegex(rest[-1], r"^-ERR 503 Server busy: \d+ bytes queued for all clients \(limit 1048576\); "
                                       r"try again later$")
            self.assert_unaffected(alice)

    def test_tls_handshakes_in_progress(self):
        # One client starts a handshake and stalls after the server's first
        # flight: the only place is taken, so the next TLS client is refused
        # before any cryptography; a device logged in elsewhere is still
        # answered, and once the staller leaves TLS works again.
        with Server("--max-tls-handshakes", "1", "--tls-handshake-rate", "0") as server:
            alice = self.device_elsewhere(server)
            staller = self.connect(server, "127.0.0.5")
            stall_handshake(staller.sock)
            self.assertFalse(tls_handshake(server.port, "127.0.0.6"))
            self.assert_logged(server, r"event=limit addr=127\.0\.0\.6 user=- detail=tls_handshakes limit=1")
            self.assert_unaffected(alice)
            staller.close()
            wait_until(lambda: tls_handshake(server.port, "127.0.0.6"), what="a TLS handshake after the staller left")

    @staticmethod
    def _send_quietly(conn, text):
        try:
            conn.send(text)
        except OSError:
            pass  # closed by the server mid-way: expected


if __name__ == "__main__":
    unittest.main()
