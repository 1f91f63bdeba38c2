"""No password ever appears where someone else could read it
(docs/SECURITY.md#passwords-at-rest-and-in-transit): after a whole session
(logins by the client and by hand, a failed login, a password change while
the server runs, a client that logs out) no password is in any process's
command line or environment, in the server's log, in the clients' output,
or in any file the server or the clients wrote."""
import os
import subprocess
import unittest

from harness import EDGEHUBD, HubTestCase, Server, reply_to, wait_until
from postgres_database import database_args

# Distinctive so that a match cannot be a coincidence.
PASSWORDS = {"alice": "Al1ce-XPOSURE-4417", "bob": "B0b-XPOSURE-9923"}
WRONG = "Wr0ng-XPOSURE-5150"
CHANGED = "N3w-XPOSURE-7070"
SECRETS = list(PASSWORDS.values()) + [WRONG, CHANGED]


def process_texts():
    """Every readable process's command line and environment."""
    texts = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as f:
                    texts.append((f"/proc/{pid}/{part}", f.read()))
            except OSError:
                pass  # gone, or not ours to read
    return texts


def files_under(root, skip):
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if path != skip and os.path.isfile(path):
                yield path


class PasswordExposureTest(HubTestCase):
    def assert_no_secret(self, where, content):
        for secret in SECRETS:
            self.assertNotIn(secret.encode(), content, f"a password in {where}")

    def test_no_password_in_processes_logs_output_or_files(self):
        server = Server(credentials=dict(PASSWORDS))
        self.addCleanup(server.stop)
        alice = self.client(server, "alice")

        conn = self.raw(server)
        conn.expect(r"^\+OK EDGEHUB/")
        self.assertTrue(reply_to(conn, f"login bob {WRONG}")[0].startswith("-ERR 401"))

        changed = subprocess.run([EDGEHUBD, "user", "passwd", "bob", "--password-stdin", "--data-dir",
                                  server.data_dir, *database_args(server.data_dir), "--argon2-ops", "1",
                                  "--argon2-mem-kib", "64"],
                                 input=(CHANGED + "\n").encode(), capture_output=True, timeout=30)
        self.assertEqual(changed.returncode, 0, changed.stderr)
        self.assert_no_secret("edgehubd user's output", changed.stdout + changed.stderr)
        wait_until(lambda: "accounts reloaded" in server.log(), what="the server reloading its accounts")
        bob = self.client(server, "bob", password=CHANGED)
        bob.expect(r"Welcome to edgehub, bob")
        alice.command("message bob hello", r"^Message sent to bob$")
        bob.expect(r"^alice: hello$")

        for where, content in process_texts():  # while both devices are logged in
            self.assert_no_secret(where, content)

        self.assertEqual(alice.finish(), 0)
        self.assertEqual(bob.finish(), 0)
        server.stop()
        for client in (alice, bob):
            client.out.drain()
            self.assert_no_secret(f"client {client.user}'s output", "\n".join(client.out.seen).encode())
        # The credentials file is the operator's import source and holds
        # passwords by design; everything else edgehub wrote must not.
        for path in files_under(server.root, skip=server.credentials_path):
            with open(path, "rb") as f:
                self.assert_no_secret(path, f.read())


if __name__ == "__main__":
    unittest.main()
