"""Broadcast amplification (issue 14, item 4): one sender pipelines
broadcasts to devices that never read.

Each such device is cut off at --high-water, and the broadcasts it had not
written are handed back to offline storage. That storage respects
--max-offline like any other (docs/MESSAGING.md#slow-receivers): before, every
broadcast pipelined behind the cut was stored for every stuck device, and
the database grew by senders x recipients x text.

And a sender whose broadcasts fill other devices' queues past
--broadcast-budget is read no further until they drain
(docs/MESSAGING.md#broadcast): the server stops answering it, instead of
queueing without bound.
"""
import socket
import threading
import time
import unittest

from harness import DEFAULT_TIMEOUT, Server
from raw_sockets import login_socket
from postgres_database import query_store

STUCK = 6
MAX_OFFLINE = 10
BROADCASTS = 300
TEXT = "b" * 2000
CREDENTIALS = {"sender": "s3nder", **{f"stuck{i}": f"pw{i}" for i in range(STUCK)}}


def stuck_device(server, i):
    """Logged in, never reads; a small receive buffer fills fast."""
    return login_socket(server.port, f"stuck{i}", CREDENTIALS[f"stuck{i}"], rcvbuf=4096)


def offline_rows(data_dir):
    return dict(query_store(data_dir, "SELECT recipient, count(*) FROM offline_messages GROUP BY recipient"))


class BroadcastFlood(unittest.TestCase):
    def test_handed_back_broadcasts_respect_max_offline(self):
        with Server("--high-water", "65536", "--max-offline", str(MAX_OFFLINE), credentials=CREDENTIALS) as server:
            stuck = [stuck_device(server, i) for i in range(STUCK)]
            sender = server.raw()
            sender.expect(r"^\+OK EDGEHUB/1 login")
            sender.send(f"login sender {CREDENTIALS['sender']}\n")
            sender.expect(r"^\+OK Welcome to edgehub, sender!")
            sender.send("".join(f"broadcast {i} {TEXT}\n" for i in range(BROADCASTS)))
            for _ in range(BROADCASTS):
                sender.expect(r"^\+OK Broadcast sent to \d+ devices?", timeout=60)
            self.assertIn("is not reading", server.log(), "no stuck device was cut off: the test proves nothing")
            for sock in stuck:
                sock.close()
            sender.close()
            server.stop()  # the store's queue drains before it exits
            rows = offline_rows(server.data_dir)
            self.assertTrue(rows, "nothing was handed back: the test proves nothing")
            for name, count in rows.items():
                self.assertLessEqual(count, MAX_OFFLINE, f"{name} has {count} offline rows: {rows}")

    def test_sender_is_not_read_while_its_broadcasts_are_stuck(self):
        budget = 64 * 1024
        # A high mark: the stuck devices are not cut off, they just hold.
        with Server("--high-water", str(16 << 20), "--broadcast-budget", str(budget),
                    credentials=CREDENTIALS) as server:
            stuck = [stuck_device(server, i) for i in range(2)]
            sender = server.raw()
            sender.expect(r"^\+OK EDGEHUB/1 login")
            sender.send(f"login sender {CREDENTIALS['sender']}\n")
            sender.expect(r"^\+OK Welcome to edgehub, sender!")
            # Far more than the kernels buffer for the two stuck devices.
            count = 2000
            lines = "".join(f"broadcast {i} {TEXT}\n" for i in range(count)).encode()
            # The server stops reading: sendall blocks until it resumes.
            writer = threading.Thread(target=sender.sock.sendall, args=(lines,), daemon=True)
            writer.start()
            answered = 0
            waiting = "reading nothing more from it"
            while answered < count and waiting not in server.log():
                try:
                    line = sender.line(timeout=0.05)
                except (socket.timeout, TimeoutError):
                    continue
                self.assertIsNotNone(line, "the server closed the sender")
                answered += line.startswith("+OK Broadcast sent")
            self.assertLess(answered, count, "every broadcast was answered while two devices held them all")
            for sock in stuck:
                sock.close()  # their letters are handed back: the budget drains
            for _ in range(count - answered):
                sender.expect(r"^\+OK Broadcast sent to \d+ devices?", timeout=60)
            writer.join(DEFAULT_TIMEOUT)
            sender.close()


if __name__ == "__main__":
    unittest.main()
