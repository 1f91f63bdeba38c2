"""`edgehubd backup` of a large SQLite hub while a sender stores offline
messages on the running server (docs/OPERATIONS.md#backup-and-restore).

The hub is made once: its schema by a first start, then MESSAGES offline
messages (100-byte texts, 1,000 recipients) written with Python's sqlite3.
A server runs on it; alice stores messages for bob (offline), one after
another, each sent when the previous one was acknowledged. RUNS backups are
taken one after another into fresh directories, each followed by an
equally long pause without a backup. Printed: the backup's wall time and
how long it read the database, and the acknowledgement times of the
messages stored during the backups and during the pauses.
Usage: backup_bench.py MESSAGES RUNS  (env EDGEHUB_BIN_DIR)."""
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import EDGEHUBD, Server, raw_login, reply_to  # noqa: E402


def fill(data_dir, messages):
    db = sqlite3.connect(os.path.join(data_dir, "edgehub.db"))
    db.executemany("INSERT INTO offline_messages(seq, recipient, sender, kind, body, sent_unix) "
                   "VALUES(?, ?, 'alice', 'M', ?, 1700000000)",
                   ((i + 1, f"dev{i % 1000:05d}", "x" * 100) for i in range(messages)))
    db.commit()
    db.close()


class Sender(threading.Thread):
    def __init__(self, server):
        super().__init__(daemon=True)
        self.conn = raw_login(server, "alice")
        self.acks = []  # (end time, seconds)
        self.stopping = threading.Event()

    def run(self):
        i = 0
        while not self.stopping.is_set():
            start = time.monotonic()
            assert reply_to(self.conn, f"message bob b{i}")[0].startswith("+OK bob is offline")
            self.acks.append((time.monotonic(), time.monotonic() - start))
            i += 1

    def between(self, t0, t1):
        return [s * 1000 for end, s in self.acks if t0 <= end <= t1]


def summary(ms):
    ms = sorted(ms)
    return f"{len(ms)} acks, p50 {statistics.median(ms):.1f} ms, p99 {ms[int(len(ms) * 0.99)]:.1f} ms, max {ms[-1]:.1f} ms"


def main():
    messages, runs = int(sys.argv[1]), int(sys.argv[2])
    root = tempfile.mkdtemp(prefix="edgehub-backup-bench-")
    data = os.path.join(root, "data")
    with Server(data_dir=data):
        pass  # the schema
    fill(data, messages)
    with Server("--max-offline", "10000000", data_dir=data) as server:
        sender = Sender(server)
        sender.start()
        during, quiet = [], []
        for run in range(runs):
            t0 = time.monotonic()
            out = subprocess.run([EDGEHUBD, "backup", os.path.join(root, f"b{run}"), "--data-dir", data],
                                 check=True, capture_output=True, text=True).stdout
            t1 = time.monotonic()
            print(f"run {run}: {t1 - t0:.2f} s wall; {out.strip()}")
            during += sender.between(t0, t1)
            time.sleep(t1 - t0)  # a pause as long as the backup: the figures to compare with
            quiet += sender.between(t1, time.monotonic())
            shutil.rmtree(os.path.join(root, f"b{run}"))
        sender.stopping.set()
        sender.join()
    print("during backups:", summary(during))
    print("between backups:", summary(quiet))
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
