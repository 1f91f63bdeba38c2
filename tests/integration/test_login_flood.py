"""An unauthenticated argon2 flood (issue 14, item 5): many connections from
one address pipeline wrong logins; a device logging in from another address
must not wait behind them.

The server verifies passwords through a fair gate (docs/PROTOCOL.md#5-logging-in):
at most one verification per address at a time, and free slots go round-robin
between addresses. So the legitimate login is answered after at most a couple
of the flood's verifications, not after one per flooding connection (the
worker pool's FIFO did that: 11-19 s with 100 connections at the default
cost). The assertion counts the flood's answers that arrive while the
legitimate login waits: an order, not a time.
"""
import selectors
import socket
import threading
import unittest

from harness import DEFAULT_TIMEOUT, Server

# Many connections, so that FIFO order (about one answer per flooding
# connection before the legitimate login) and the fair gate's (the one or two
# verifications running, plus what the flood's address is granted while the
# legitimate login's reply is written: 7 once on a loaded CI machine) stay far
# apart.
FLOOD_CONNECTIONS = 48
LOGINS_EACH = 5
# Expensive enough that verifications, not the network, set the pace.
COST = ["--argon2-ops", "1", "--argon2-mem-kib", "8192"]


class Flood:
    """FLOOD_CONNECTIONS sockets from 127.0.0.1, each pipelining LOGINS_EACH
    wrong logins (distinct unknown names, so no lockout closes them), and a
    thread counting the answers."""

    def __init__(self, port):
        self.answers = 0
        self.changed = threading.Condition()
        self.selector = selectors.DefaultSelector()
        self.socks = []
        for c in range(FLOOD_CONNECTIONS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=DEFAULT_TIMEOUT)
            logins = "".join(f"login flood{c}x{i} wrong\n" for i in range(LOGINS_EACH))
            sock.sendall(logins.encode())
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.socks.append(sock)
        self.thread = threading.Thread(target=self._count, daemon=True)
        self.thread.start()

    def _count(self):
        open_socks = len(self.socks)
        while open_socks > 0:
            for key, _ in self.selector.select(timeout=DEFAULT_TIMEOUT):
                data = key.fileobj.recv(65536)
                if not data:
                    self.selector.unregister(key.fileobj)
                    open_socks -= 1
                    continue
                with self.changed:
                    self.answers += data.count(b"-ERR 401")
                    self.changed.notify_all()

    def wait_for(self, answers, timeout=DEFAULT_TIMEOUT):
        with self.changed:
            if not self.changed.wait_for(lambda: self.answers >= answers, timeout=timeout):
                raise AssertionError(f"the flood got only {self.answers} answers")
            return self.answers

    def close(self):
        for sock in self.socks:
            sock.close()


def legit_connection(port):
    """From 127.0.0.2: loopback accepts any 127.x source address."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(DEFAULT_TIMEOUT)
    sock.bind(("127.0.0.2", 0))
    sock.connect(("127.0.0.1", port))
    reader = sock.makefile("rb")
    greeting = reader.readline()
    return sock, reader, greeting


class LoginFlood(unittest.TestCase):
    def test_a_login_from_another_address_overtakes_the_flood(self):
        with Server(*COST, "--bind", "127.0.0.1", cheap_hashes=False) as server:
            flood = Flood(server.port)
            try:
                # Every flooding connection has a login waiting from here on.
                flood.wait_for(FLOOD_CONNECTIONS)
                sock, reader, greeting = legit_connection(server.port)
                self.assertTrue(greeting.startswith(b"+OK EDGEHUB/1 login"), greeting)
                before = flood.answers
                sock.sendall(b"login alice wonder1and\n")
                reply = reader.readline()
                during = flood.answers - before
                self.assertTrue(reply.startswith(b"+OK Welcome to edgehub, alice!"), reply)
                # FIFO would answer about one login per flooding connection first.
                self.assertLessEqual(during, FLOOD_CONNECTIONS // 4,
                                     f"{during} flood logins were answered while alice waited")
                self.assertLess(flood.answers, FLOOD_CONNECTIONS * LOGINS_EACH, "the flood had already drained")
                sock.close()
                # The flood itself is still served, all of it (one check at a
                # time: slow under the sanitizers, hence the longer wait).
                flood.wait_for(FLOOD_CONNECTIONS * LOGINS_EACH, timeout=120)
            finally:
                flood.close()


if __name__ == "__main__":
    unittest.main()
