"""Device certificates over mutual TLS (docs/SECURITY.md#device-certificates):
a device logs in with its certificate and no password; a certificate
revoked while the server runs, one from another CA and one naming another
account are refused with a clear -ERR and a security-log line; a resume
token of a certificate login needs the same certificate."""
import os
import shutil
import socket
import ssl
import subprocess
import tempfile

from harness import DEFAULT_TIMEOUT, EDGEHUB, EDGEHUBD, HubTestCase, Server, wait_until
from postgres_database import database_args


def ca(data_dir, *args):
    p = subprocess.run([EDGEHUBD, "ca", *args, "--data-dir", data_dir, *database_args(data_dir)], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout


class TlsLine:
    """A raw TLS connection to edgehubd, with or without a client certificate."""

    def __init__(self, port, cert=None):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if cert:
            ctx.load_cert_chain(*cert)
        raw = socket.create_connection(("127.0.0.1", port), timeout=DEFAULT_TIMEOUT)
        self.sock = ctx.wrap_socket(raw)
        self.file = self.sock.makefile("rb")
        assert self.line().startswith("+OK EDGEHUB")

    def line(self):
        return self.file.readline().decode().rstrip("\n")

    def ask(self, text):
        self.sock.sendall((text + "\n").encode())
        return self.line()

    def close(self):
        self.file.close()
        self.sock.close()


class DeviceLoginTest(HubTestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="edgehub-devices-")
        cls.data = os.path.join(cls.root, "data")
        cls.certs = os.path.join(cls.root, "certs")
        os.makedirs(cls.certs)
        ca(cls.data, "init")
        for name in ("sensor1", "sensor2", "alice"):
            ca(cls.data, "issue", name, "--out", cls.certs)
        # A certificate for sensor1 from a CA this server does not trust.
        other = os.path.join(cls.root, "other")
        ca(other, "init")
        cls.foreign = os.path.join(cls.root, "foreign")
        os.makedirs(cls.foreign)
        ca(other, "issue", "sensor1", "--out", cls.foreign)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def setUp(self):
        self.server = Server(data_dir=self.data)
        self.addCleanup(self.server.stop)

    def cert(self, name, where=None):
        where = where or self.certs
        return os.path.join(where, name + ".crt"), os.path.join(where, name + ".key")

    def connect(self, cert=None):
        conn = TlsLine(self.server.port, cert)
        self.addCleanup(conn.close)
        return conn

    def test_the_client_logs_in_with_its_certificate_and_no_password(self):
        crt, key = self.cert("sensor1")
        p = subprocess.run([EDGEHUB, "--cert", crt, "--key", key, "--fingerprint", self.server.fingerprint,
                            "127.0.0.1", str(self.server.port)], input=b"AED\n", capture_output=True,
                           timeout=DEFAULT_TIMEOUT, env=dict(os.environ, HOME=self.root))
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        self.assertIn("Welcome to edgehub, sensor1!", out)
        self.assertNotIn("Password", out + p.stderr.decode())
        self.assertIn("device certificates: certlogin accepts certificates of", self.server.log())

    def test_certlogin_then_a_resume_bound_to_the_certificate(self):
        conn = self.connect(self.cert("sensor2"))
        self.assertEqual(conn.ask("certlogin sensor2"), "+OK Welcome to edgehub, sensor2!")
        token = conn.line().split()[1]
        self.assertTrue(conn.ask("OUT").startswith("+OK Bye"))
        plain = self.connect()
        self.assertEqual(plain.ask(f"resume sensor2 {token}"),
                         "-ERR 401 This resume token belongs to a certificate login: resume over TLS with the same "
                         "certificate, or log in again")
        again = self.connect(self.cert("sensor2"))
        self.assertEqual(again.ask(f"resume sensor2 {token}"), "+OK Welcome to edgehub, sensor2!")

    def test_refusals(self):
        answer = self.connect(self.cert("sensor1", self.foreign)).ask("certlogin sensor1")
        self.assertRegex(answer, r"^-ERR 401 Your certificate is not trusted by this server \(.+\)$")
        self.assertEqual(self.connect(self.cert("sensor2")).ask("certlogin sensor1"),
                         "-ERR 401 Your certificate is for sensor2, not sensor1")
        self.assertEqual(self.connect().ask("certlogin sensor1"),
                         "-ERR 401 No client certificate on this connection: connect over TLS with one (edgehub "
                         "--cert FILE --key FILE)")
        log = self.server.log()
        self.assertRegex(log, r"security: event=cert_refused addr=127\.0\.0\.1 user=sensor1 detail=untrusted "
                              r"certificate: ")
        self.assertIn("security: event=cert_refused addr=127.0.0.1 user=sensor1 detail=certificate for sensor2", log)

    def test_a_certificate_revoked_while_the_server_runs(self):
        online = self.connect(self.cert("alice"))
        self.assertEqual(online.ask("certlogin alice"), "+OK Welcome to edgehub, alice!")
        online.line()  # !TOKEN
        out = ca(self.data, "revoke", "alice")
        serial = out.split()[2]
        self.assertEqual(online.line(), "!BYE Your device certificate was revoked")
        self.assertEqual(self.connect(self.cert("alice")).ask("certlogin alice"),
                         f"-ERR 401 Your device certificate (serial {serial}) has been revoked")
        wait_until(lambda: f"detail=revoked certificate, serial {serial}" in self.server.log(),
                   what="the refusal in the security log")
        # The account's password login is unaffected.
        self.assertEqual(self.connect().ask("login alice wonder1and"), "+OK Welcome to edgehub, alice!")
