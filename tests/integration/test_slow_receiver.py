"""Slow receivers (issue 3): a device that logs in and then never reads.

The server queues at most --high-water bytes for it, then disconnects it.
"Kept" means: every message acknowledged to its sender reaches bob exactly
once, in order — either it was written to bob's socket before the server
closed it (bob can still read those bytes), or it was not, and then it is
stored offline and delivered at bob's next login. Nothing acknowledged is
lost, nothing is delivered twice, and the server's memory does not grow with
what bob does not read.
"""
import re
import socket
import unittest

from harness import Server

HIGH_WATER = 64 * 1024
TEXT = "x" * 1000
CHUNK = 100
MAX_MESSAGES = 20000  # bound on the loop: far more than any kernel buffering


def raw_login_then_never_read(server):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # small: fills fast
    sock.settimeout(20)
    sock.connect(("127.0.0.1", server.port))
    sock.sendall(b"login bob bu1lder\n")
    data = b""
    while b"Welcome to edgehub, bob!" not in data:
        chunk = sock.recv(256)
        if not chunk:
            raise AssertionError(f"closed during login: {data!r}")
        data += chunk
    return sock, data


def drain(sock):
    """Everything bob's kernel still holds, until the server's FIN."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


class SlowReceiver(unittest.TestCase):
    def test_never_reading_receiver_is_cut_off_and_nothing_is_lost(self):
        with Server("--high-water", str(HIGH_WATER)) as server:
            bob, before_login_end = raw_login_then_never_read(server)
            alice = server.client("alice")
            rss_before = server.rss_kib()
            sent, online, stored = 0, 0, 0
            while stored == 0 and sent < MAX_MESSAGES:
                for i in range(sent, sent + CHUNK):
                    alice.send(f"message bob m{i:05d} {TEXT}")
                for _ in range(CHUNK):
                    reply = alice.expect(r"^(Message sent to bob|bob is offline; the message is stored)").group(1)
                    if reply.startswith("Message sent"):
                        online += 1
                    else:
                        stored += 1
                sent += CHUNK
            self.assertGreater(stored, 0, "the server never disconnected the receiver that does not read")
            rss_after = server.rss_kib()
            # Bounded: far less than the megabytes bob did not read.
            self.assertLess(rss_after - rss_before, 32 * 1024, f"{online} online messages, RSS {rss_before} -> {rss_after} KiB")
            m = re.search(r"bob \(127\.0\.0\.1\) is not reading: (\d+) bytes queued, disconnecting", server.log())
            self.assertIsNotNone(m, server.log())
            self.assertLessEqual(int(m.group(1)), HIGH_WATER + len(TEXT) + 64)

            # What reached bob's socket before the cut: whole lines only.
            raw = (before_login_end + drain(bob)).decode()
            bob.close()
            complete = raw[: raw.rfind("\n") + 1]
            got_raw = re.findall(r"^!MSG alice (m\d{5}) x+$", complete, re.M)
            self.assertGreater(len(got_raw), 0)

            # The rest arrives at bob's next login, in order, once.
            bob = server.client("bob", password=server.credentials["bob"])
            waiting = int(bob.expect(r"^(\d+) messages arrived while you were offline$").group(1))
            self.assertEqual((len(got_raw), waiting), (len(got_raw), sent - len(got_raw)),
                             f"sent {sent}: {online} acknowledged online, {stored} stored; raw {got_raw[:1]}..{got_raw[-1:]}")
            later = []
            for _ in range(waiting):
                later.append(bob.expect(r"^alice: (m\d{5}) x+ \(sent [^)]+\)$", timeout=30).group(1))
            self.assertEqual(got_raw + later, [f"m{i:05d}" for i in range(sent)])
            # And nothing more: the next message bob sees is a fresh one.
            alice.command("message bob end", r"^Message sent to bob$")
            self.assertEqual(bob.expect(r"^alice: ").string, "alice: end")
            self.assertEqual(bob.finish(), 0)
            self.assertEqual(alice.finish(), 0)


if __name__ == "__main__":
    unittest.main()
