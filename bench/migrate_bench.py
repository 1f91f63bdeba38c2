"""`edgehubd migrate` against psql COPY, interleaved, on one throwaway
PostgreSQL (tests/unit/store/postgres_server.sh).

A SQLite hub is made once: its schema by `edgehubd user add`, then LOGINS
login-history rows and MESSAGES offline messages (100-byte texts, 1,000
recipients) written with Python's sqlite3. Each run then
  - migrate: `edgehubd migrate --from sqlite:DIR --to` a fresh database, and
  - copy: the same two tables exported to CSV (not timed) and loaded with
    psql `\\copy` into a fresh database with the same tables (timed),
alternately, and prints rows per second, median / best / all runs.
Usage: migrate_bench.py LOGINS MESSAGES RUNS  (env EDGEHUB_BIN_DIR)."""
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from postgres_database import PostgresServer  # noqa: E402

EDGEHUBD = os.path.join(os.environ.get("EDGEHUB_BIN_DIR", "build/src/app"), "edgehubd")


def make_hub(root, logins, messages):
    data = os.path.join(root, "data")
    subprocess.run([EDGEHUBD, "user", "add", "alice", "--data-dir", data, "--password-stdin", "--argon2-ops", "1",
                    "--argon2-mem-kib", "64"], input=b"alice-pass-1\n", check=True, capture_output=True)
    db = sqlite3.connect(os.path.join(data, "edgehub.db"))
    db.executemany("INSERT INTO logins(name, ip, udp_port, login_unix, logout_unix) VALUES(?, '10.0.0.1', 0, ?, ?)",
                   ((f"dev{i % 20000:05d}", 1_700_000_000 + i, 1_700_000_100 + i) for i in range(logins)))
    db.executemany("INSERT INTO offline_messages(seq, recipient, sender, kind, body, sent_unix) "
                   "VALUES(?, ?, 'alice', 'M', ?, 1700000000)",
                   ((i + 1, f"dev{i % 1000:05d}", "x" * 100) for i in range(messages)))
    db.executemany("INSERT INTO offline_counts(recipient, n) VALUES(?, ?)",
                   ((f"dev{r:05d}", sum(1 for i in range(r, messages, 1000))) for r in range(min(messages, 1000))))
    db.commit()
    for table in ("logins", "offline_messages"):
        with open(os.path.join(root, table + ".csv"), "w") as f:
            for row in db.execute(f"SELECT * FROM {table}"):
                f.write(",".join("" if v is None else str(v) for v in row) + "\n")
    db.close()
    return data


def run_migrate(pg, data):
    url = pg.create_database()
    start = time.monotonic()
    subprocess.run([EDGEHUBD, "migrate", "--from", f"sqlite:{data}", "--to", url], check=True, capture_output=True)
    return time.monotonic() - start


def run_copy(pg, root):
    url = pg.create_database()
    subprocess.run(["psql", "-q", url, "-c",
                    "CREATE TABLE logins (id BIGINT PRIMARY KEY, name TEXT NOT NULL, ip TEXT NOT NULL, "
                    "udp_port INTEGER NOT NULL, login_unix BIGINT NOT NULL, logout_unix BIGINT); "
                    "CREATE TABLE offline_messages (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, recipient TEXT NOT NULL, "
                    "sender TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, sent_unix BIGINT NOT NULL)"],
                   check=True, capture_output=True)
    start = time.monotonic()
    subprocess.run(["psql", "-q", "-1", url,
                    "-c", f"\\copy logins FROM '{root}/logins.csv' WITH (FORMAT csv)",
                    "-c", f"\\copy offline_messages FROM '{root}/offline_messages.csv' WITH (FORMAT csv)"],
                   check=True, capture_output=True)
    return time.monotonic() - start


def main():
    logins, messages, runs = (int(a) for a in sys.argv[1:4])
    root = tempfile.mkdtemp(prefix="edgehub-migrate-bench-")
    os.chmod(root, 0o755)  # the PostgreSQL server may run as nobody; psql reads the CSV itself
    pg = PostgresServer()
    try:
        data = make_hub(root, logins, messages)
        times = {"edgehubd migrate": [], "psql \\copy (anchor)": []}
        for _ in range(runs):
            times["edgehubd migrate"].append(run_migrate(pg, data))
            times["psql \\copy (anchor)"].append(run_copy(pg, root))
        rows = logins + messages
        print(f"{logins} login rows + {messages} offline messages = {rows} rows, {runs} runs each, interleaved")
        print("| tool | median s | best s | rows/s (median) | all runs s |")
        print("|---|---|---|---|---|")
        for tool, t in times.items():
            med = statistics.median(t)
            print(f"| {tool} | {med:.2f} | {min(t):.2f} | {rows / med:,.0f} | {', '.join(f'{x:.2f}' for x in t)} |")
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
