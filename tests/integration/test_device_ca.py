"""`edgehubd ca init|issue|revoke|list` (docs/SECURITY.md#device-certificates):
the CA's files and modes, certificates that `openssl verify` accepts, a
revocation picked up by a running server, and bad input of every kind
refused with a clear message and nothing changed."""
import base64
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

from harness import EDGEHUBD, HubTestCase, Server, run_edgehubd, wait_until
from postgres_database import database_args


def ca(data_dir, *args, cwd=None, database=True):
    """`edgehubd ca ARGS` on data_dir (and on its PostgreSQL database when
    the suite runs on one, unless database=False)."""
    extra = database_args(data_dir) if database else []
    p = subprocess.run([EDGEHUBD, "ca", *args, "--data-dir", data_dir, *extra], capture_output=True, timeout=30,
                       cwd=cwd)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def openssl(*args):
    p = subprocess.run(["openssl", *args], capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode() + p.stderr.decode()


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def snapshot(*dirs):
    """Every file under dirs with its bytes: to show a refusal changed nothing."""
    files = {}
    for d in dirs:
        for root, _, names in os.walk(d):
            for n in names:
                with open(os.path.join(root, n), "rb") as f:
                    files[os.path.join(root, n)] = f.read()
    return files


class DeviceCaCommandTest(HubTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="edgehub-ca-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.data = os.path.join(self.root, "data")
        self.out = os.path.join(self.root, "out")
        os.makedirs(self.out)

    def init(self):
        code, out, err = ca(self.data, "init")
        self.assertEqual(code, 0, err)
        return out

    def test_init_makes_a_p256_ca_with_a_private_key_and_its_fingerprint(self):
        out = self.init()
        key, crt = os.path.join(self.data, "ca", "ca.key"), os.path.join(self.data, "ca", "ca.crt")
        self.assertEqual(mode(key), 0o600)
        self.assertEqual(mode(os.path.join(self.data, "ca")), 0o700)
        _, text = openssl("x509", "-in", crt, "-noout", "-text")
        self.assertIn("prime256v1", text)
        self.assertRegex(text, r"CA:TRUE")
        # The fingerprint printed is openssl's SHA-256, in SSH's base64 form.
        _, fp = openssl("x509", "-in", crt, "-noout", "-fingerprint", "-sha256")
        raw = bytes.fromhex(fp.strip().split("=", 1)[1].replace(":", ""))
        self.assertIn("Fingerprint: SHA256:" + base64.b64encode(raw).decode().rstrip("="), out)
        before = snapshot(self.data)
        code, _, err = ca(self.data, "init")
        self.assertEqual(code, 1)
        self.assertIn("a CA already exists", err)
        self.assertEqual(snapshot(self.data), before)

    def test_issue_writes_a_certificate_that_openssl_verifies(self):
        self.init()
        code, out, err = ca(self.data, "issue", "sensor1", "--out", self.out)
        self.assertEqual(code, 0, err)
        crt, key = os.path.join(self.out, "sensor1.crt"), os.path.join(self.out, "sensor1.key")
        self.assertEqual(mode(key), 0o600)
        self.assertIn("Created account sensor1 for certificate logins (no password).", out)
        code, text = openssl("verify", "-CAfile", os.path.join(self.data, "ca", "ca.crt"), "-purpose", "sslclient", crt)
        self.assertEqual(code, 0, text)
        _, text = openssl("x509", "-in", crt, "-noout", "-subject", "-ext", "subjectAltName", "-dates")
        self.assertRegex(text, r"subject=CN ?= ?sensor1")
        self.assertIn("DNS:sensor1", text)
        start, end = (int(year) for year in re.findall(r"(\d{4}) GMT", text))
        self.assertEqual(end - start, 2)  # two years
        # The key belongs to the certificate.
        _, pub_crt = openssl("x509", "-in", crt, "-noout", "-pubkey")
        _, pub_key = openssl("pkey", "-in", key, "-pubout")
        self.assertEqual(pub_crt, pub_key)
        users = subprocess.run([EDGEHUBD, "user", "list", "--data-dir", self.data, *database_args(self.data)],
                               capture_output=True,
                               text=True, timeout=30).stdout
        self.assertRegex(users, r"sensor1 +edgehubd ca issue \(certificate only, no password\)")

    def test_list_and_revoke(self):
        self.init()
        for name in ("sensor1", "sensor2"):
            self.assertEqual(ca(self.data, "issue", name, "--out", self.out)[0], 0)
        code, out, err = ca(self.data, "revoke", "sensor1")
        self.assertEqual(code, 0, err)
        serial = re.search(r"Revoked certificate ([0-9A-F]+) of sensor1", out).group(1)
        code, out, _ = ca(self.data, "list")
        self.assertEqual(code, 0)
        self.assertIn("2 certificates", out)
        self.assertRegex(out, rf"sensor1 +serial {serial} .* revoked \d{{4}}-")
        self.assertRegex(out, r"sensor2 +serial [0-9A-F]+ .* valid\n")
        _, ser = openssl("x509", "-in", os.path.join(self.out, "sensor1.crt"), "-noout", "-serial")
        self.assertEqual(ser.strip(), "serial=" + serial)
        code, _, err = ca(self.data, "revoke", "sensor1")
        self.assertEqual((code, err.strip()),
                         (1, "edgehubd ca: no certificate of sensor1 to revoke ('edgehubd ca list' shows them)"))

    def test_bad_input_is_refused_and_changes_nothing(self):
        code, _, err = ca(self.data, "issue", "sensor1", "--out", self.out)
        self.assertEqual((code, err.strip()), (1, f"edgehubd ca: no CA in {self.data}/ca: create one with "
                                                  "'edgehubd ca init'"))
        self.init()
        ca(self.data, "issue", "sensor1", "--out", self.out)
        before = snapshot(self.data, self.out)
        cases = [
            (("issue", ".hidden"), 2, "a name is 1 to 32 characters"),
            (("issue", "-bad"), 2, "not expected: -bad"),
            (("issue", "a/b"), 2, "a name is 1 to 32 characters"),
            (("issue", "x" * 33), 2, "a name is 1 to 32 characters"),
            (("issue",), 2, "usage: edgehubd ca issue NAME"),
            (("revoke",), 2, "usage: edgehubd ca revoke NAME"),
            (("list", "extra"), 2, "usage: edgehubd ca list (no NAME)"),
            (("frobnicate",), 2, "ACTION"),
            (("issue", "sensor1", "--out", self.out), 1, "sensor1.crt already exists"),
            (("issue", "sensor9", "--out", os.path.join(self.root, "nowhere")), 1, "is not a directory"),
            (("revoke", "nobody"), 1, "no certificate of nobody to revoke"),
        ]
        for args, want_code, want_text in cases:
            code, _, err = ca(self.data, *args)
            self.assertEqual(code, want_code, (args, err))
            self.assertIn(want_text, err, args)
        for args, text in ((("list",), "no CA in"), (("revoke", "sensor1"), "no database in")):
            code, _, err = ca(os.path.join(self.root, "typo"), *args, database=False)  # a wrong --data-dir
            self.assertEqual(code, 1)
            self.assertIn(text, err)
        self.assertEqual(snapshot(self.data, self.out), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, "typo")))

    def test_help(self):
        code, out, _ = run_edgehubd("ca", "--help")
        self.assertEqual(code, 0)
        self.assertIn("Usage: edgehubd ca ACTION [NAME] [OPTIONS]", out)
        self.assertIn("valid\n                  for 2 years", out)
        code, out, _ = run_edgehubd("--help")
        self.assertIn("edgehubd ca ACTION [NAME]", out)
        self.assertIn("--client-ca FILE", out)


class RevocationWhileRunningTest(HubTestCase):
    def test_a_running_server_picks_up_a_revocation(self):
        server = Server()
        self.addCleanup(server.stop)
        self.assertNotIn("device certificates:", server.log())  # no CA: certlogin is off
        self.assertEqual(ca(server.data_dir, "init")[0], 0)
        out_dir = os.path.join(server.root, "out")
        os.makedirs(out_dir)
        self.assertEqual(ca(server.data_dir, "issue", "alice", "--out", out_dir)[0], 0)
        wait_until(lambda: "accounts reloaded" in server.log(), what="the server reloading after the issue")
        code, _, err = ca(server.data_dir, "revoke", "alice")
        self.assertEqual(code, 0, err)
        wait_until(lambda: "1 revoked certificates" in server.log(), what="the server loading the revocation")
        # Restarted, it loads the revocation from the database and trusts its own CA by default.
        server.restart()
        self.assertRegex(server.log(), r"device certificates: certlogin accepts certificates of .*ca\.crt "
                                       r"\(edgehub device CA, SHA256:")

    def test_an_unusable_client_ca_stops_the_start(self):
        root = tempfile.mkdtemp(prefix="edgehub-ca-")
        self.addCleanup(shutil.rmtree, root, True)
        garbage = os.path.join(root, "garbage.pem")
        with open(garbage, "w") as f:
            f.write("not a certificate\n")
        for args, text in (((garbage,), "not a PEM certificate"), ((os.path.join(root, "none.pem"),), "cannot be read")):
            code, _, err = run_edgehubd("--port", "0", "--guest", "--data-dir", os.path.join(root, "d"),
                                        "--client-ca", *args)
            self.assertEqual(code, 2, err)
            self.assertIn("edgehubd: --client-ca: " + args[0], err)
            self.assertIn(text, err)
        code, _, err = run_edgehubd("--client-ca", garbage, "--no-client-ca")
        self.assertEqual(code, 2)
        self.assertIn("excludes", err)


if __name__ == "__main__":
    unittest.main()
