"""`edgehubd user add|passwd|del|list|unlock` against a running server
(docs/SECURITY.md#accounts): the change is picked up without a restart,
passwords are never on the command line, in the log or in the database in
clear."""
import os
import re
import subprocess
import unittest

from harness import EDGEHUBD, HubTestCase, Server, reply_to, wait_until
from postgres_database import database_args

CHEAP = ["--argon2-ops", "1", "--argon2-mem-kib", "64"]


def user(server_or_dir, *args, password=None, stdin=None, env=None):
    """`edgehubd user ARGS` on a server's data directory (and its
    PostgreSQL database when the suite runs on one) or on a directory."""
    on_server = isinstance(server_or_dir, Server)
    data_dir = server_or_dir.data_dir if on_server else server_or_dir
    database = database_args(data_dir) if on_server else []
    cmd = [EDGEHUBD, "user", *args, "--data-dir", data_dir, *database, *CHEAP]
    if password is not None:
        cmd.append("--password-stdin")
        stdin = password + "\n"
    p = subprocess.run(cmd, input=(stdin or "").encode(), capture_output=True, timeout=30, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def reloads(server):
    return server.log().count("accounts reloaded")


class AccountsAdminTest(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)
        self.secrets = list(self.server.credentials.values())

    def change(self, *args, password=None):
        """Runs `edgehubd user ...`, then waits until the server reloaded."""
        before = reloads(self.server)
        code, out, err = user(self.server, *args, password=password)
        self.assertEqual(code, 0, err)
        wait_until(lambda: reloads(self.server) > before, what="the server reloading its accounts")
        return out

    def login_reply(self, name, password):
        conn = self.raw(self.server)
        conn.expect(r"^\+OK EDGEHUB/")
        return reply_to(conn, f"login {name} {password}")[0]

    def test_add_then_login_without_restart(self):
        self.secrets.append("z3d-pass")
        out = self.change("add", "zed", password="z3d-pass")
        self.assertIn("Added account zed.", out)
        self.assertTrue(self.login_reply("zed", "z3d-pass").startswith("+OK Welcome to edgehub, zed"))
        code, out, _ = user(self.server, "list")
        self.assertEqual(code, 0)
        self.assertIn("7 accounts", out)
        self.assertRegex(out, r"zed +edgehubd user")
        self.assertRegex(out, r"alice +credentials file")

    def test_passwd_replaces_the_old_password_and_survives_restart(self):
        self.secrets.append("n3w-alice")
        self.change("passwd", "alice", password="n3w-alice")
        self.assertTrue(self.login_reply("alice", "n3w-alice").startswith("+OK Welcome"))
        self.assertFalse(self.login_reply("alice", self.server.credentials["alice"]).startswith("+OK"))
        self.server.restart()  # the credentials file did not change: not imported again
        self.assertTrue(self.login_reply("alice", "n3w-alice").startswith("+OK Welcome"))

    def test_del_logs_the_device_out(self):
        bob = self.raw_login(self.server, "bob")
        out = self.change("del", "bob")
        self.assertIn("Deleted account bob", out)
        bob.expect(r"^!BYE Your account was removed")
        self.assertTrue(bob.closed_by_server())
        self.assertFalse(self.login_reply("bob", self.server.credentials["bob"]).startswith("+OK"))

    def test_unlock_lifts_a_block(self):
        conn = self.raw(self.server)
        conn.expect(r"^\+OK EDGEHUB/")
        replies = [reply_to(conn, "login carol wrong")[0] for _ in range(2)]
        self.assertTrue(all(r.startswith("-ERR") for r in replies), replies)
        self.assertIn("-ERR", self.login_reply("carol", "wrong"))  # third failure: blocked
        self.assertFalse(self.login_reply("carol", self.server.credentials["carol"]).startswith("+OK"))
        self.change("unlock", "carol")
        wait_until(lambda: "event=unlock user=carol" in self.server.log(), what="the unlock in the log")
        self.assertTrue(self.login_reply("carol", self.server.credentials["carol"]).startswith("+OK Welcome"))

    def test_bad_input_changes_nothing(self):
        cases = [
            (("add", "alice"), "pw1x", 1, r"alice already exists: use 'edgehubd user passwd alice'"),
            (("passwd", "nobody"), "pw1x", 1, r"no account nobody"),
            (("del", "nobody"), None, 1, r"no account nobody"),
            (("del",), None, 2, r"usage: edgehubd user del NAME"),
            (("add", ".bad"), "pw1x", 2, r"a name is 1 to 32 characters"),
            (("add", "x" * 33), "pw1x", 2, r"a name is 1 to 32 characters"),
            (("frob", "x"), None, 2, r"ACTION: frob not in"),
            (("add", "yvonne"), "two words", 1, r"the password contains a space"),
            (("add", "yvonne"), "", 1, r"the password is empty"),
        ]
        for args, password, code, message in cases:
            with self.subTest(args=args):
                got, _, err = user(self.server, *args, password=password)
                self.assertEqual(got, code, err)
                self.assertRegex(err, message)
        got, _, err = user(self.server, "add", "yvonne")  # stdin is not a terminal
        self.assertEqual(got, 1)
        self.assertIn("give --password-stdin", err)
        got, _, err = user(os.path.join(self.server.root, "nowhere"), "list")
        self.assertEqual(got, 1)
        self.assertIn("no database in", err)
        _, out, _ = user(self.server, "list")
        self.assertIn("6 accounts", out)
        got, out, _ = user(self.server, "--help")
        self.assertEqual(got, 0)
        self.assertIn("unlock NAME", out)

    def tearDown(self):
        # No password ever reaches the log or the database in clear.
        self.server.stop()
        files = [self.server.stderr_path] + [self.server.path(f) for f in os.listdir(self.server.data_dir)
                                             if f.startswith("edgehub.db")]
        for path in files:
            with open(path, "rb") as f:
                content = f.read()
            for secret in self.secrets:
                self.assertNotIn(secret.encode(), content, f"a password in {path}")


if __name__ == "__main__":
    unittest.main()
