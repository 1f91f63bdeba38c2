"""`edgehubd migrate --from sqlite:DIR --to postgresql://...`
(docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql): a hub populated
through a real edgehubd and real clients is moved into a real PostgreSQL,
every table arrives row for row, and a server on PostgreSQL then serves it:
old passwords, offline messages once and in order, blocks, the admin flag.
Refused migrations (a running server, a non-empty target, bad --from or
--to, a row PostgreSQL cannot take) change nothing."""
import csv
import io
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from harness import EDGEHUBD, HubTestCase, Server, wait_until
from postgres_database import TEST_POSTGRES, PostgresServer
from test_accounts_admin import user
from test_device_ca import ca

PG = None

# Every data table and the columns that identify a row (docs/CLUSTER.md#what-lives-where).
TABLES = {
    "meta": "key", "accounts": "name", "account_unlocks": "name", "device_certificates": "serial",
    "logins": "id", "offline_messages": "id", "offline_counts": "recipient", "blocks": "blocker, blocked",
}


def setUpModule():
    global PG
    if TEST_POSTGRES:  # the SQLite side must stay SQLite
        raise unittest.SkipTest("test_migrate moves SQLite into PostgreSQL; run it without EDGEHUB_TEST_DATABASE")
    PG = PostgresServer()


def tearDownModule():
    if PG:
        PG.stop()


def migrate(*args):
    p = subprocess.run([EDGEHUBD, "migrate", *args], capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def normal(column, value):
    """One cell as text, as psql's CSV gives it."""
    if value is None:
        return ""
    if column == "is_admin":
        return "t" if value else "f"
    return str(value)


def sqlite_rows(data_dir, table):
    db = sqlite3.connect(os.path.join(data_dir, "edgehub.db"))
    try:
        cur = db.execute(f"SELECT * FROM {table} ORDER BY {TABLES[table]}")
        columns = [c[0] for c in cur.description]
        return [{c: normal(c, v) for c, v in zip(columns, row)} for row in cur.fetchall()]
    finally:
        db.close()


def pg_rows(database, table):
    """The same as sqlite_rows, through psql."""
    out = PG.psql(f"COPY (SELECT * FROM {table} ORDER BY {TABLES[table]}) TO STDOUT WITH (FORMAT csv, HEADER)",
                  database)
    rows = list(csv.reader(io.StringIO(out)))
    return [dict(zip(rows[0], r)) for r in rows[1:]] if rows else []


def pg_tables(database):
    return PG.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database).strip()


def populate(test, server):
    """Accounts, an admin, a block, offline messages in a known order, login
    history, an unlock request, certificates and a revocation."""
    reloads = server.log().count("accounts reloaded")
    for name, pw in (("zed", "z3d-pass"), ("yan", "y4n-pass")):
        test.assertEqual(user(server, "add", name, password=pw)[0], 0)
    test.assertEqual(user(server, "admin", "zed", "on")[0], 0)
    out_dir = tempfile.mkdtemp(dir=server.root)
    for args in (("init",), ("issue", "cam", "--out", out_dir), ("issue", "frank", "--out", out_dir),
                 ("revoke", "frank")):
        test.assertEqual(ca(server.data_dir, *args)[0], 0)
    alice = test.client(server, "alice")
    alice.command("block erin", r"^erin is blocked$")
    carol = test.client(server, "carol")
    for sender, text in ((alice, "one"), (carol, "two"), (alice, "three"), (alice, "four")):
        sender.command(f"message bob {text}", r"^bob is offline; the message is stored")
    # The running server notices `edgehubd user add` within a second; zed must be known first.
    wait_until(lambda: server.log().count("accounts reloaded") > reloads, what="the server loading zed")
    alice.command("message zed for the admin", r"^zed is offline; the message is stored")
    erin = test.client(server, "erin")
    test.assertEqual(erin.finish(), 0)
    test.assertEqual(alice.finish(), 0)
    test.assertEqual(carol.finish(), 0)


def stopped_hub(test, fill=None):
    """A SQLite hub, filled by fill(test, server) and stopped; its directory
    is removed when the test ends."""
    server = Server()
    test.addCleanup(shutil.rmtree, server.root, True)
    try:
        if fill:
            fill(test, server)
    finally:
        server.stop()
    return server


class MigrateTest(HubTestCase):
    def test_everything_arrives_and_a_postgres_server_serves_it(self):
        old = stopped_hub(self, populate)
        data_dir = old.data_dir
        self.assertEqual(user(data_dir, "unlock", "dave")[0], 0)  # a request no server took yet
        before = {t: sqlite_rows(data_dir, t) for t in TABLES}
        self.assertEqual(len(before["offline_messages"]), 5)
        self.assertGreaterEqual(len(before["logins"]), 3)
        self.assertEqual(len(before["device_certificates"]), 2)

        url = PG.create_database()
        database = url.rsplit("/", 1)[1]
        code, out, err = migrate("--from", f"sqlite:{data_dir}", "--to", url)
        self.assertEqual(code, 0, err)
        self.assertIn("Verified: the target holds as many rows as the source in every table.", out)
        self.assertRegex(out, r"\n  offline_messages +5\n")
        for table in TABLES:  # row for row, ids, hashes and flags included
            self.assertEqual(pg_rows(database, table), before[table], table)
        self.assertEqual(sqlite_rows(data_dir, "offline_messages"), before["offline_messages"], "source unchanged")

        with Server("--database", url, data_dir=data_dir) as new:
            self.assertIn("accounts (unchanged)", new.log())  # the credentials digest came along
            carol = self.client(new, "carol")
            bob = self.client(new, "bob")  # the old password
            bob.expect(r"^4 messages arrived while you were offline$")
            for sender, text in (("alice", "one"), ("carol", "two"), ("alice", "three"), ("alice", "four")):
                bob.expect(rf"^{sender}: {text} \(sent [^)]+\)$")
            carol.command("message bob marker", r"^Message sent to bob$")
            self.assertEqual(bob.expect(r"^\w+: ").string, "carol: marker", "each stored message came once")
            self.assertEqual(bob.finish(), 0)
            bob = self.client(new, "bob")
            carol.command("message bob again", r"^Message sent to bob$")
            self.assertEqual(bob.expect(r"^(\w+: |\d+ messages? arrived)").string, "carol: again")

            zed = self.client(new, "zed", password="z3d-pass")  # an `edgehubd user add` account
            zed.expect(r"Welcome to edgehub, zed")
            zed.expect(r"^1 message arrived while you were offline$")
            zed.expect(r"^alice: for the admin \(sent [^)]+\)$")
            alice = self.client(new, "alice")
            erin = self.client(new, "erin")
            erin.command("message alice hi", r"^Your message could not be delivered as the recipient has blocked you$")
            code, listing, _ = user(data_dir, "list", "--database", url)
            self.assertEqual(code, 0)
            self.assertRegex(listing, r"zed +edgehubd user, admin")
            self.assertEqual(alice.finish(), 0)
        # The old history is still there, and new logins came after it.
        after = pg_rows(database, "logins")
        self.assertEqual(after[:len(before["logins"])][0]["id"], before["logins"][0]["id"])
        self.assertGreater(int(after[-1]["id"]), int(before["logins"][-1]["id"]))


class RefusedMigrationTest(HubTestCase):
    def test_refused_while_the_old_server_runs(self):
        url = PG.create_database()
        with Server() as running:
            code, _out, err = migrate("--from", f"sqlite:{running.data_dir}", "--to", url)
            self.assertEqual(code, 1)
            self.assertRegex(err, r"an edgehubd \(pid \d+\) is running on .*: stop it first")
            self.assertEqual(pg_tables(url.rsplit("/", 1)[1]), "0", "the target is untouched")

    def test_refused_into_a_database_that_holds_data(self):
        old = stopped_hub(self, lambda test, server: test.client(server, "alice").finish())
        url = PG.create_database()
        database = url.rsplit("/", 1)[1]
        self.assertEqual(user(old.data_dir, "add", "zed", "--database", url, password="z3d-pass")[0], 0)
        before = {t: pg_rows(database, t) for t in TABLES}
        source = {t: sqlite_rows(old.data_dir, t) for t in TABLES}
        code, _out, err = migrate("--from", f"sqlite:{old.data_dir}", "--to", url)
        self.assertEqual(code, 1)
        self.assertIn("the database already holds data (accounts 1)", err)
        self.assertEqual({t: pg_rows(database, t) for t in TABLES}, before)
        self.assertEqual({t: sqlite_rows(old.data_dir, t) for t in TABLES}, source)

    def test_a_row_postgres_refuses_rolls_everything_back(self):
        old = stopped_hub(self, lambda test, server: test.client(server, "alice").command(
            "message bob fine", r"^bob is offline"))
        with sqlite3.connect(old.path("edgehub.db")) as db:  # not UTF-8: PostgreSQL refuses it
            db.execute("INSERT INTO offline_messages(seq, recipient, sender, kind, body, sent_unix) "
                       "VALUES(99, 'bob', 'alice', 'M', CAST(X'C328' AS TEXT), 1)")
        url = PG.create_database()
        code, out, err = migrate("--from", f"sqlite:{old.data_dir}", "--to", url)
        self.assertEqual(code, 1, out)
        self.assertIn("rolled back", err)
        self.assertIn("accounts", out, "it had started copying")
        self.assertEqual(pg_tables(url.rsplit("/", 1)[1]), "0", "not even the schema is left")

    def test_bad_from_and_to_are_said(self):
        root = tempfile.mkdtemp(prefix="edgehub-migrate-")
        self.addCleanup(shutil.rmtree, root, True)
        empty_dir = os.path.join(root, "empty")
        os.mkdir(empty_dir)
        newer = os.path.join(root, "newer")
        os.mkdir(newer)
        with sqlite3.connect(os.path.join(newer, "edgehub.db")) as db:
            db.execute("PRAGMA user_version = 999")
            db.execute("CREATE TABLE t (x)")
        url = PG.create_database()
        cases = (
            (("--from", root + "/nowhere", "--to", url), 2, "--from takes sqlite:DIR"),
            (("--from", "sqlite:" + root + "/nowhere", "--to", url), 1, "is not a directory"),
            (("--from", "sqlite:" + empty_dir, "--to", url), 1, "holds no edgehub.db"),
            (("--from", "sqlite:" + newer, "--to", url), 1, "schema version 999, newer than this edgehubd knows"),
            (("--from", "sqlite:" + newer, "--to", "mysql://db/x"), 2, "is not a postgresql:// URL"),
            (("--from", "sqlite:" + newer), 2, "--to is required"),
        )
        for args, status, words in cases:
            code, _out, err = migrate(*args)
            self.assertEqual((code, words in err), (status, True), (args, err))
        self.assertFalse(os.path.exists(os.path.join(empty_dir, "edgehub.db")), "nothing created")
        code, _out, err = migrate("--from", "sqlite:" + newer, "--to", url.replace("edgehub@", "edgehub:s3cret-pw@"))
        self.assertEqual(code, 2)
        self.assertIn("~/.pgpass", err)
        self.assertNotIn("s3cret-pw", err)
        old = stopped_hub(self)
        unreachable = "postgresql://edgehub@127.0.0.1:1/nodb"
        code, _out, err = migrate("--from", f"sqlite:{old.data_dir}", "--to", unreachable)
        self.assertEqual(code, 1)
        self.assertIn("--to: cannot connect to the database", err)
        self.assertEqual(pg_tables(url.rsplit("/", 1)[1]), "0")

    def test_help(self):
        code, out, _ = migrate("--help")
        self.assertEqual(code, 0)
        self.assertIn("Usage: edgehubd migrate --from sqlite:DIR --to postgresql://", out)
        self.assertIn("stay\nin DIR", out)
        p = subprocess.run([EDGEHUBD, "--help"], capture_output=True, timeout=30)
        self.assertIn("edgehubd migrate --from sqlite:DIR --to URL", p.stdout.decode())


if __name__ == "__main__":
    unittest.main()
