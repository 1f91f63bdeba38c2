"""--client-crl: an operator's own device CA (made with `openssl ca`, not
`edgehubd ca`) revokes a certificate in a CRL, and the running server refuses
it at the next login and logs out the device using it, once the file changes
(docs/SECURITY.md#device-certificates). A CRL that does not read keeps the
last good list; one the CA did not sign stops the start."""
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, run_edgehubd, wait_until
from test_device_login import TlsLine

CA_CONFIG = """[ca]
default_ca = own
[own]
dir = {root}
database = $dir/index.txt
crlnumber = $dir/crlnumber
certificate = $dir/ca.crt
private_key = $dir/ca.key
default_md = sha256
default_crl_days = 30
"""


def openssl(*args, cwd):
    p = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=DEFAULT_TIMEOUT)
    assert p.returncode == 0, f"openssl {' '.join(args)}: {p.stderr}"
    return p.stdout


def make_ca(root, name):
    """A CA in root: ca.key, ca.crt and what `openssl ca` needs to keep a CRL."""
    os.makedirs(root)
    with open(os.path.join(root, "ca.cnf"), "w") as f:
        f.write(CA_CONFIG.format(root=root))
    open(os.path.join(root, "index.txt"), "w").close()
    with open(os.path.join(root, "crlnumber"), "w") as f:
        f.write("01\n")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
            "-out", "ca.crt", "-days", "30", "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=root)


def issue(root, name):
    """A device certificate for account `name`, signed with `openssl x509`."""
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f"{name}.key",
            "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=root)
    with open(os.path.join(root, "device.ext"), "w") as f:
        f.write("extendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days",
            "30", "-extfile", "device.ext", "-out", f"{name}.crt", cwd=root)
    return os.path.join(root, f"{name}.crt"), os.path.join(root, f"{name}.key")


def write_crl(root, dest):
    """`openssl ca -gencrl`, put in place atomically as an operator's script would."""
    openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", "next.crl", cwd=root)
    os.replace(os.path.join(root, "next.crl"), dest)


class ClientCrlTest(HubTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="edgehub-crl-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.ca = os.path.join(self.root, "ca")
        make_ca(self.ca, "Fleet CA")
        self.alice = issue(self.ca, "alice")
        self.bob = issue(self.ca, "bob")
        self.crl = os.path.join(self.root, "fleet.crl")
        write_crl(self.ca, self.crl)

    def serve(self):
        server = Server("--client-ca", os.path.join(self.ca, "ca.crt"), "--client-crl", self.crl)
        self.addCleanup(server.stop)
        return server

    def connect(self, server, cert):
        conn = TlsLine(server.port, cert)
        self.addCleanup(conn.close)
        return conn

    def test_a_certificate_revoked_in_the_crl_while_the_server_runs(self):
        server = self.serve()
        online = self.connect(server, self.bob)
        self.assertEqual(online.ask("certlogin bob"), "+OK Welcome to edgehub, bob!")
        online.line()  # !TOKEN
        serial = openssl("x509", "-in", self.bob[0], "-noout", "-serial", cwd=self.ca).strip().split("=")[1]
        openssl("ca", "-config", "ca.cnf", "-revoke", "bob.crt", cwd=self.ca)
        write_crl(self.ca, self.crl)
        self.assertEqual(online.line(), "!BYE Your device certificate was revoked")
        self.assertEqual(self.connect(server, self.bob).ask("certlogin bob"),
                         f"-ERR 401 Your device certificate (serial {serial}) has been revoked")
        self.assertIn("--client-crl " + self.crl + " reloaded: 1 revoked certificates", server.log())
        # Others of the CA are unaffected.
        self.assertEqual(self.connect(server, self.alice).ask("certlogin alice"), "+OK Welcome to edgehub, alice!")
        # A CRL that does not read keeps the last list.
        with open(self.crl + ".tmp", "w") as f:
            f.write("-----BEGIN X509 CRL-----\ngarbage\n-----END X509 CRL-----\n")
        os.replace(self.crl + ".tmp", self.crl)
        wait_until(lambda: "keeping the last list" in server.log(), what="the unreadable CRL in the log")
        self.assertRegex(self.connect(server, self.bob).ask("certlogin bob"), r"^-ERR 401 .* has been revoked$")

    def test_a_crl_the_ca_did_not_sign_stops_the_start(self):
        other = os.path.join(self.root, "other")
        make_ca(other, "Fleet CA")  # the same name, another key
        status, _, err = run_edgehubd("--guest", "--port", "0", "--client-ca", os.path.join(self.ca, "ca.crt"),
                                      "--client-crl", os.path.join(other, "ca.crt"))
        self.assertNotEqual(status, 0)
        self.assertIn("--client-crl", err)
        forged = os.path.join(self.root, "forged.crl")
        write_crl(other, forged)
        status, _, err = run_edgehubd("--guest", "--port", "0", "--client-ca", os.path.join(self.ca, "ca.crt"),
                                      "--client-crl", forged)
        self.assertNotEqual(status, 0)
        self.assertIn("is not signed by a --client-ca certificate", err)


if __name__ == "__main__":
    unittest.main()
