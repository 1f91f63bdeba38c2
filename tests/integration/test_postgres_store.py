"""edgehubd on PostgreSQL (docs/CLUSTER.md): --database and EDGEHUB_DATABASE,
no password on the command line, the data in the database rather than the
data directory, and `edgehubd user --database`."""
import os
import tempfile
import unittest

from harness import HubTestCase, Server, run_edgehubd, wait_until
from postgres_database import PostgresServer
from test_accounts_admin import user
PG = None


def setUpModule():
    global PG
    PG = PostgresServer()


def tearDownModule():
    PG.stop()


def edgehubd_user(*args, password=None, env=None):
    """`edgehubd user ARGS` with a data directory that holds nothing: the
    database comes from --database or EDGEHUB_DATABASE."""
    with tempfile.TemporaryDirectory() as tmp:
        return user(os.path.join(tmp, "unused"), *args, password=password, env=env)


class DatabaseOptionTest(unittest.TestCase):
    def assert_refused(self, *args, env=None, words=()):
        with tempfile.TemporaryDirectory() as tmp:
            status, _out, err = run_edgehubd("--port", "0", "--data-dir", os.path.join(tmp, "data"), *args,
                                             env=env)
            self.assertEqual(status, 2, err)
            for word in words:
                self.assertIn(word, err)
            self.assertFalse(os.path.exists(os.path.join(tmp, "data")), "nothing is created")
            return err

    def test_a_password_on_the_command_line_is_refused_without_echoing_it(self):
        for url in ("postgresql://edgehub:s3cret-pw@127.0.0.1:5432/db",
                    "postgresql://edgehub@127.0.0.1:5432/db?password=s3cret-pw"):
            err = self.assert_refused("--database", url, words=("~/.pgpass", "PGPASSWORD", "EDGEHUB_DATABASE"))
            self.assertNotIn("s3cret-pw", err)

    def test_only_postgresql_urls(self):
        self.assert_refused("--database", "mysql://db/x", words=("postgresql://",))
        self.assert_refused("--database", "postgresql://[bad", words=("--database",))

    def test_a_bad_environment_variable_is_refused(self):
        env = dict(os.environ, EDGEHUB_DATABASE="sqlite:somewhere")
        self.assert_refused(env=env, words=("EDGEHUB_DATABASE", "postgresql://"))

    def test_user_refuses_a_password_on_the_command_line_too(self):
        code, _out, err = edgehubd_user("list", "--database", "postgresql://u:s3cret-pw@127.0.0.1/db")
        self.assertEqual(code, 2, err)
        self.assertNotIn("s3cret-pw", err)


class PostgresStoreTest(HubTestCase):
    def test_offline_messages_live_in_the_database(self):
        url = PG.create_database()
        with Server("--database", url) as first:
            alice = self.client(first, "alice")
            for i in range(3):
                alice.command(f"message bob offline {i}", r"^bob is offline; the message is stored")
            self.assertEqual(alice.finish(), 0)
            self.assertFalse(os.path.exists(first.path("edgehub.db")), "no SQLite file")
        # Another data directory, the same database: the messages are there.
        with Server("--database", url) as second:
            bob = self.client(second, "bob")
            bob.expect(r"^3 messages arrived while you were offline$")
            for i in range(3):
                bob.expect(rf"^alice: offline {i} \(sent [^)]+\)$")
            database = url.rsplit("/", 1)[1]
            wait_until(lambda: PG.psql("SELECT count(*) FROM offline_messages", database).strip() == "0",
                       what="the delivered messages deleted from the database")

    def test_user_add_with_database_then_login(self):
        url = PG.create_database()
        code, out, err = edgehubd_user("add", "zed", "--database", url, password="zed-pass-1")
        self.assertEqual(code, 0, err)
        self.assertIn("Added account zed", out)
        # A password in EDGEHUB_DATABASE is accepted (the test server trusts any).
        env = dict(os.environ, EDGEHUB_DATABASE=url.replace("edgehub@", "edgehub:any-password@"))
        code, out, err = edgehubd_user("list", env=env)
        self.assertEqual(code, 0, err)
        self.assertIn("zed", out)
        with Server("--database", url) as server:
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB/\d+ ")
            conn.send("login zed zed-pass-1\n")
            conn.expect(r"^\+OK Welcome to edgehub, zed")


if __name__ == "__main__":
    unittest.main()
