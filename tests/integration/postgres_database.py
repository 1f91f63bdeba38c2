"""A throwaway PostgreSQL server for integration tests (docs/CLUSTER.md#tests),
and EDGEHUB_TEST_DATABASE=postgres: harness.Server then passes --database
for each data directory, so a test module runs on PostgreSQL."""
import atexit
import os
import sqlite3
import subprocess
import tempfile

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "unit", "store", "postgres_server.sh")


class PostgresServer:
    """initdb + pg_ctl start on a free port (tests/unit/store/postgres_server.sh);
    stop() stops it and removes its directory. Given base_url, a server
    someone else started and will stop (scripts/test.sh starts one for the
    whole suite: EDGEHUB_TEST_POSTGRES_URL)."""

    def __init__(self, base_url=None):
        self.state = None
        self.count = 0
        if base_url:
            self.base_url = base_url if base_url.endswith("/") else base_url + "/"
            return
        fd, self.state = tempfile.mkstemp(prefix="edgehub-it-pg-state-")
        os.close(fd)
        subprocess.run(["bash", SCRIPT, "start", self.state], check=True)
        with open(self.state) as f:
            self.base_url = f.readline().strip()  # postgresql://edgehub@127.0.0.1:PORT/

    def create_database(self):
        """A new empty database; returns its URL (no password: trust auth)."""
        name = f"it_{os.getpid()}_{self.count}"
        self.count += 1
        self.psql(f"CREATE DATABASE {name}")
        return self.base_url + name

    def psql(self, sql, database="postgres"):
        return subprocess.run(["psql", "-qAt", self.base_url + database, "-c", sql], check=True,
                              capture_output=True, text=True).stdout

    def pause(self):
        """Stops the server as a crash would, keeping its data (this
        module's own server only)."""
        subprocess.run(["bash", SCRIPT, "pause", self.state], check=True)

    def resume(self):
        """Starts it again on the same port."""
        subprocess.run(["bash", SCRIPT, "resume", self.state], check=True)

    def stop(self):
        if self.state:
            subprocess.run(["bash", SCRIPT, "stop", self.state], check=False)


class _PerDataDir:
    """One server per test module (process), started on first use and
    stopped at exit, or the suite's server (EDGEHUB_TEST_POSTGRES_URL); one
    database per data directory, so that a restart or a second Server on the
    same data directory finds its data."""

    def __init__(self):
        self.server = None
        self.databases = {}

    def url_for(self, data_dir):
        if self.server is None:
            self.server = PostgresServer(os.environ.get("EDGEHUB_TEST_POSTGRES_URL"))
            atexit.register(self.server.stop)
        key = os.path.abspath(data_dir)
        if key not in self.databases:
            self.databases[key] = self.server.create_database()
        return self.databases[key]


TEST_POSTGRES = _PerDataDir() if os.environ.get("EDGEHUB_TEST_DATABASE") == "postgres" else None


def database_args(data_dir):
    """["--database", URL] for data_dir's database when the suite runs on
    PostgreSQL (EDGEHUB_TEST_DATABASE=postgres), else []: what edgehubd and
    its `user` and `ca` commands need to find that hub's data."""
    return ["--database", TEST_POSTGRES.url_for(data_dir)] if TEST_POSTGRES else []


def query_store(data_dir, sql):
    """The rows of sql (a tuple per row) in the hub's database: the SQLite
    file in data_dir, opened read-only, or data_dir's PostgreSQL database
    when the suite runs on one (integers come back as int from both)."""
    if TEST_POSTGRES:
        out = subprocess.run(["psql", "-qAt", "-F", "\t", TEST_POSTGRES.url_for(data_dir), "-c", sql],
                             capture_output=True, text=True, check=True).stdout
        return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t"))
                for line in out.splitlines()]
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'edgehub.db')}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()
