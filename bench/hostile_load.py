#!/usr/bin/env python3
"""Issue 14's hostile load at full size (docs/BENCHMARKS.md#hostile-load).

broadcast: STUCK (100) devices log in and never read; edgehubd runs with
  --high-water 1MiB --max-offline 100; one sender pipelines BROADCASTS (3,000)
  broadcasts of 2,000 bytes. Reads the sender's answers for at most CAP
  seconds (30), then closes the stuck devices and waits for the hand-backs
  to settle. Prints the broadcasts answered, the largest growth of the
  database + WAL seen, the offline rows of the fullest recipient and the
  server's RSS peak over its RSS before the broadcasts (VmHWM, reset through
  /proc/PID/clear_refs).
login: FLOOD (100) connections from 127.0.0.1 pipeline 30 wrong logins each
  at the default argon2 cost; once the flood is answering, LOGINS (3) logins
  of a real user from 127.0.0.2, one after the other: their latencies.

Usage: EDGEHUB_BIN_DIR=build-release/src/app python3 bench/hostile_load.py [broadcast|login]...
"""
import os
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import Server  # noqa: E402
from raw_sockets import login_socket  # noqa: E402

STUCK = int(os.environ.get("STUCK", "100"))
BROADCASTS = int(os.environ.get("BROADCASTS", "3000"))
CAP = float(os.environ.get("CAP", "30"))
FLOOD = int(os.environ.get("FLOOD", "100"))
LOGINS = int(os.environ.get("LOGINS", "3"))
TEXT = "b" * 2000


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def db_bytes(data_dir):
    total = 0
    for name in ("edgehub.db", "edgehub.db-wal"):
        try:
            total += os.path.getsize(os.path.join(data_dir, name))
        except FileNotFoundError:
            pass
    return total


def most_offline_rows(data_dir):
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'edgehub.db')}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM offline_messages GROUP BY recipient)").fetchone()
        return row[0] or 0
    finally:
        db.close()


class Sampler:
    """Polls the database size every 0.2 s: the largest growth seen."""

    def __init__(self, data_dir):
        self.data_dir, self.base, self.peak, self.stop = data_dir, db_bytes(data_dir), 0, False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            self.peak = max(self.peak, db_bytes(self.data_dir) - self.base)
            time.sleep(0.2)

    def finish(self):
        self.stop = True
        self.thread.join()
        return max(self.peak, db_bytes(self.data_dir) - self.base)


def count_answers(sock, want, deadline):
    answered, buf = 0, b""
    sock.settimeout(0.2)
    while answered < want and time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, TimeoutError):
            continue
        if not chunk:
            break
        buf += chunk
        answered += buf.count(b"+OK Broadcast sent")
        buf = buf[buf.rfind(b"\n") + 1:]
    return answered


def settle(data_dir, limit=30):
    """Waits until the database stops growing for 1 s (hand-backs stored)."""
    last, stable_since, end = db_bytes(data_dir), time.monotonic(), time.monotonic() + limit
    while time.monotonic() < end and time.monotonic() - stable_since < 1:
        time.sleep(0.1)
        now = db_bytes(data_dir)
        if now != last:
            last, stable_since = now, time.monotonic()


def broadcast_case():
    credentials = {"sender": "s3nder", **{f"stuck{i}": f"pw{i}" for i in range(STUCK)}}
    with Server("--high-water", str(1 << 20), "--max-offline", "100", credentials=credentials) as server:
        pid = server.proc.pid
        stuck = [login_socket(server.port, f"stuck{i}", f"pw{i}", timeout=60) for i in range(STUCK)]
        sender = login_socket(server.port, "sender", "s3nder", timeout=60)
        rss_before = status_kib(pid, "VmRSS")
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # VmHWM := VmRSS
        sampler = Sampler(server.data_dir)
        lines = "".join(f"broadcast {i} {TEXT}\n" for i in range(BROADCASTS)).encode()
        writer = threading.Thread(target=sender.sendall, args=(lines,), daemon=True)
        started = time.monotonic()
        writer.start()
        answered = count_answers(sender, BROADCASTS, started + CAP)
        elapsed = time.monotonic() - started
        for sock in stuck:
            sock.close()
        settle(server.data_dir)
        growth = sampler.finish()
        peak = status_kib(pid, "VmHWM")
        rows = most_offline_rows(server.data_dir)
        sender.close()
        print(f"broadcast: {answered}/{BROADCASTS} answered in {elapsed:.1f} s (cap {CAP:.0f} s); "
              f"database+WAL growth {growth / 2**20:.1f} MiB; fullest offline queue {rows} rows; "
              f"RSS peak +{(peak - rss_before) / 1024:.1f} MiB (before {rss_before / 1024:.1f} MiB)", flush=True)


def flood_case():
    with Server(cheap_hashes=False) as server:
        answers = [0]
        socks = []
        for c in range(FLOOD):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
            sock.sendall("".join(f"login flood{c}x{i} wrong\n" for i in range(30)).encode())
            socks.append(sock)

        def count(sock):
            try:
                while True:
                    data = sock.recv(65536)
                    if not data:
                        return
                    answers[0] += data.count(b"-ERR 401")
            except OSError:
                return

        for sock in socks:
            threading.Thread(target=count, args=(sock,), daemon=True).start()
        while answers[0] < 10:
            time.sleep(0.05)
        latencies = []
        for _ in range(LOGINS):
            started = time.monotonic()
            login_socket(server.port, "alice", server.credentials["alice"], source="127.0.0.2", timeout=60).close()
            latencies.append(time.monotonic() - started)
        flood_answers = answers[0]
        for sock in socks:
            sock.close()
        text = ", ".join(f"{t:.3f}" for t in latencies)
        print(f"login: {FLOOD} connections x 30 wrong logins from 127.0.0.1; alice from 127.0.0.2: {text} s "
              f"(the flood had {flood_answers} answers by then)", flush=True)


if __name__ == "__main__":
    cases = sys.argv[1:] or ["broadcast", "login"]
    for case in cases:
        {"broadcast": broadcast_case, "login": flood_case}[case]()
