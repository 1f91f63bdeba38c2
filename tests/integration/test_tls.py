"""TLS on the control channel (docs/SECURITY.md#tls): pinning on first use,
a changed certificate and a wrong --fingerprint refused, openssl s_client
logging in, plaintext refused from a non-loopback address, bad --cert/--key,
a renewed certificate served after SIGHUP."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unittest

from harness import (DEFAULT_TIMEOUT, EDGEHUBD, HubTestCase, LineReader, RawConnection, Server,
                     run_edgehubd, wait_until)

OPENSSL = shutil.which("openssl")
IP = shutil.which("ip")
OTHER_FINGERPRINT = "SHA256:Qd1Xk0HcTNN0tfa2UJT2r+nHkQyGbN8A0lQ8vVhCw2c"


def fresh_config(test):
    """An environment whose known_hosts is empty: a client's first connection."""
    home = tempfile.mkdtemp(prefix="edgehub-tls-home-")
    test.addCleanup(shutil.rmtree, home, True)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"))
    return env, os.path.join(home, "config", "edgehub", "known_hosts")


def run_client(server, *args, env=None, host="127.0.0.1", stdin="alice\nwonder1and\nAED\n", netns=None):
    inside = [IP, "netns", "exec", netns] if netns else []
    proc = subprocess.run([*inside, os.path.join(os.path.dirname(EDGEHUBD), "edgehub"), *args, host, str(server.port)],
                          input=stdin.encode(), capture_output=True, env=env, timeout=DEFAULT_TIMEOUT)
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")


class Pinning(HubTestCase):
    def test_first_use_pins_then_later_logins_are_silent(self):
        env, known_hosts = fresh_config(self)
        with Server() as server:
            status, out, err = run_client(server, env=env)
            self.assertEqual(status, 0, out + err)
            self.assertIn("Welcome to edgehub, alice!", out)
            self.assertEqual(err.strip(), f"edgehub: first connection to 127.0.0.1:{server.port}: pinned its "
                             f"certificate {server.fingerprint} in {known_hosts}")
            with open(known_hosts) as f:
                self.assertEqual(f.read(), f"127.0.0.1:{server.port} {server.fingerprint}\n")
            status, out, err = run_client(server, env=env)
            self.assertEqual((status, err), (0, ""), out)
            self.assertIn("no other active edge devices", out)

    def test_a_changed_certificate_is_refused_naming_both_fingerprints(self):
        env, known_hosts = fresh_config(self)
        with Server() as server:
            old = server.fingerprint
            server.stop()
            shutil.rmtree(server.path("tls"))  # the next start makes a new certificate
            server.start()
            self.assertNotEqual(server.fingerprint, old)
            os.makedirs(os.path.dirname(known_hosts))
            with open(known_hosts, "w") as f:
                f.write(f"# pinned\n127.0.0.1:{server.port} {old}\n")
            status, out, err = run_client(server, env=env)
            self.assertEqual(status, 1, out + err)
            self.assertNotIn("Welcome", out)
            self.assertIn(f"the TLS certificate of 127.0.0.1:{server.port} has CHANGED", out)
            self.assertIn(f"pinned:  {old} ({known_hosts} line 2)", out)
            self.assertIn(f"offered: {server.fingerprint}", out)
            self.assertIn(f"edit or delete line 2 of {known_hosts}", out)

    def test_fingerprint_option_pins_in_advance_and_refuses_another(self):
        env, known_hosts = fresh_config(self)
        with Server() as server:
            status, out, err = run_client(server, "--fingerprint", OTHER_FINGERPRINT, env=env)
            self.assertEqual(status, 1, out + err)
            self.assertIn(f"offered certificate {server.fingerprint}, not the {OTHER_FINGERPRINT} given with "
                          "--fingerprint; refusing to connect", out)
            status, out, err = run_client(server, "--fingerprint", server.fingerprint, env=env)
            self.assertEqual((status, err), (0, ""), out)
            self.assertIn("Welcome to edgehub, alice!", out)
            self.assertFalse(os.path.exists(known_hosts))  # nothing to pin: it was given

    def test_garbage_in_known_hosts_is_refused_with_its_line(self):
        env, known_hosts = fresh_config(self)
        os.makedirs(os.path.dirname(known_hosts))
        with open(known_hosts, "w") as f:
            f.write("# ok\n\nthis is not a pin\n")
        with Server() as server:
            status, out, err = run_client(server, env=env)
            self.assertEqual(status, 1, out + err)
            self.assertIn(f"{known_hosts}: line 3: expected 'HOST:PORT SHA256:...', found 5 words", out)

    def test_insecure_says_so_loudly(self):
        env, known_hosts = fresh_config(self)
        with Server() as server:
            status, out, err = run_client(server, "--insecure", env=env)
            self.assertEqual(status, 0, out + err)
            self.assertIn("WARNING: --insecure", err)
            self.assertFalse(os.path.exists(known_hosts))


@unittest.skipUnless(OPENSSL, "openssl is not installed")
class OpensslClient(HubTestCase):
    def test_s_client_logs_in_and_runs_aed(self):
        with Server() as server:
            bob = self.client(server, user="bob")
            alice = s_client_login(self, server, "alice", "wonder1and")
            alice.command("AED")
            alice.out.expect(r"^bob\b", what="s_client")
            bob.finish()


class SClient:
    """An `openssl s_client` session logged in on the control channel."""

    def __init__(self, proc):
        self.proc = proc
        self.out = LineReader(proc.stdout)

    def command(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()


def s_client_login(test, server, user, password):
    proc = subprocess.Popen([OPENSSL, "s_client", "-connect", f"127.0.0.1:{server.port}", "-quiet"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    test.addCleanup(proc.stdout.close)
    test.addCleanup(proc.stdin.close)
    test.addCleanup(proc.wait)
    test.addCleanup(proc.kill)
    session = SClient(proc)
    session.out.expect(r"^\+OK EDGEHUB/1 login", what="s_client")
    session.command(f"login {user} {password}")
    session.out.expect(rf"^\+OK Welcome to edgehub, {user}!", what="s_client")
    return session


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, timeout=DEFAULT_TIMEOUT)


# Connects, prints the first line the server sends (after its wait for a
# first byte), then whether it closed the connection.
SILENT_CLIENT = """
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
data = b""
while b"\\n" not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace").rstrip())
print("closed" if s.recv(4096) == b"" else "open")
"""


@unittest.skipUnless(IP and os.geteuid() == 0, "needs root and iproute2: the test makes a network namespace")
class NotLoopback(HubTestCase):
    """A network namespace joined by a veth pair: the server listens on the
    host's end, the clients run in the namespace, so they connect from
    198.18.N.2, not from loopback."""

    def setUp(self):
        pid = os.getpid()
        self.ns, host_if, ns_if = f"ehtls{pid}", f"ehth{pid % 100000}", f"ehtn{pid % 100000}"
        net = f"198.18.{pid % 250 + 1}"
        self.address = f"{net}.1"
        made = run(IP, "netns", "add", self.ns)
        if made.returncode != 0:
            self.skipTest(f"cannot make a network namespace: {made.stderr.decode(errors='replace').strip()}")
        self.addCleanup(run, IP, "netns", "del", self.ns)
        made = run(IP, "link", "add", host_if, "type", "veth", "peer", "name", ns_if)
        if made.returncode != 0:
            self.skipTest(f"cannot make a veth pair: {made.stderr.decode(errors='replace').strip()}")
        self.addCleanup(run, IP, "link", "del", host_if)
        inside = (IP, "netns", "exec", self.ns, IP)
        for step in ((IP, "link", "set", ns_if, "netns", self.ns), (IP, "addr", "add", f"{net}.1/30", "dev", host_if),
                     (IP, "link", "set", host_if, "up"), (*inside, "addr", "add", f"{net}.2/30", "dev", ns_if),
                     (*inside, "link", "set", ns_if, "up"), (*inside, "link", "set", "lo", "up")):
            done = run(*step)
            self.assertEqual(done.returncode, 0, f"{step}: {done.stderr}")

    def test_plaintext_gets_one_line_and_tls_works(self):
        with Server("--bind", self.address) as server:
            # Silence (3 s), as from a person waiting at nc for the greeting.
            silent = run(IP, "netns", "exec", self.ns, "python3", "-c", SILENT_CLIENT, self.address, str(server.port))
            self.assertEqual(silent.stdout.decode().splitlines(), [
                "-ERR 426 This server accepts plaintext only from loopback; connect with TLS (edgehub does by "
                "default)", "closed"], silent.stderr)
            status, out, err = run_client(server, "--plain", host=self.address, netns=self.ns)
            self.assertEqual(status, 1, out + err)
            self.assertIn("This server accepts plaintext only from loopback; connect with TLS", out)
            status, out, err = run_client(server, "--fingerprint", server.fingerprint, host=self.address,
                                          netns=self.ns)
            self.assertEqual((status, err), (0, ""), out)
            self.assertIn("Welcome to edgehub, alice!", out)
            self.assertIn("no other active edge devices", out)
            self.assertIn(f"plaintext connection from {self.address[:-1]}2 refused (not loopback)", server.log())


def openssl(*args, cwd):
    p = subprocess.run([OPENSSL, *args], cwd=cwd, capture_output=True, text=True, timeout=DEFAULT_TIMEOUT)
    assert p.returncode == 0, f"openssl {' '.join(args)}: {p.stderr}"


def ca_signed_server_certificate(test):
    """A CA, in a hashed directory of its own (`openssl rehash`, as
    /etc/ssl/certs is), and a certificate for 127.0.0.1 it signed: (the
    directory, the certificate, its key)."""
    root = tempfile.mkdtemp(prefix="edgehub-tls-ca-")
    test.addCleanup(shutil.rmtree, root, True)
    store = os.path.join(root, "store")
    os.makedirs(store)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
            "-out", "store/ca.pem", "-days", "30", "-subj", "/CN=edgehub test root", "-addext",
            "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", cwd=root)
    openssl("rehash", "store", cwd=root)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
            "-out", "server.csr", "-subj", "/CN=127.0.0.1", cwd=root)
    with open(os.path.join(root, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "store/ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "30", "-extfile", "server.ext", "-out", "server.crt", cwd=root)
    return store, os.path.join(root, "server.crt"), os.path.join(root, "server.key")


class SystemTrustStore(HubTestCase):
    """The client finds the system's CAs through the hashed directory
    (SSL_CERT_DIR stands in for /etc/ssl/certs): a chain it trusts for the
    host is accepted without pinning; without that CA, the same server is
    pinned on first use."""

    def test_a_chain_the_store_trusts_is_accepted_without_a_pin(self):
        store, cert, key = ca_signed_server_certificate(self)
        with Server("--cert", cert, "--key", key) as server:
            env, known_hosts = fresh_config(self)
            status, out, err = run_client(server, env=dict(env, SSL_CERT_DIR=store))
            self.assertEqual((status, err), (0, ""), out)
            self.assertIn("Welcome to edgehub, alice!", out)
            self.assertFalse(os.path.exists(known_hosts), "pinned although the chain is trusted")
            empty = tempfile.mkdtemp(prefix="edgehub-tls-empty-store-")
            self.addCleanup(shutil.rmtree, empty, True)
            status, out, err = run_client(server, env=dict(env, SSL_CERT_DIR=empty))
            self.assertEqual(status, 0, out + err)
            self.assertIn("pinned its certificate", err)
            self.assertTrue(os.path.exists(known_hosts))
            # Another certificate pinned for this server (as before a
            # renewal): the trusted chain still accepts it, the pin alone
            # refuses it. The pin is checked first, the store only after.
            with open(known_hosts) as f:
                pinned = f.read()
            other = "SHA256:" + "A" * 43
            with open(known_hosts, "w") as f:
                f.write(re.sub(r"SHA256:\S+", other, pinned))
            status, out, err = run_client(server, env=dict(env, SSL_CERT_DIR=store))
            self.assertEqual((status, err), (0, ""), out)
            status, out, err = run_client(server, env=dict(env, SSL_CERT_DIR=empty))
            self.assertNotEqual(status, 0, out)
            self.assertIn("has CHANGED", out + err)


class CertificateFiles(HubTestCase):
    def test_given_files_are_served_and_bad_ones_refuse_the_start(self):
        with Server() as first, Server() as second:
            cert, key = first.path("tls", "server.crt"), first.path("tls", "server.key")
            with Server("--cert", cert, "--key", key) as server:
                self.assertEqual(server.fingerprint, first.fingerprint)
                self.assertIn(f"TLS certificate fingerprint {first.fingerprint}", server.log())
                self.assertFalse(os.path.exists(server.path("tls")))  # nothing made
            other_key = second.path("tls", "server.key")
            status, _, err = run_edgehubd("--port", "0", "--guest", "--cert", cert, "--key", other_key)
            self.assertEqual(status, 2, err)
            self.assertIn(f"the TLS key {other_key} does not belong to the certificate {cert}", err)
            status, _, err = run_edgehubd("--port", "0", "--guest", "--cert", "/nonexistent.crt", "--key", key)
            self.assertEqual(status, 2, err)
            self.assertIn("cannot read the TLS certificate /nonexistent.crt: no such file or directory", err)
            status, _, err = run_edgehubd("--port", "0", "--guest", "--cert", key, "--key", key)
            self.assertEqual(status, 2, err)
            self.assertIn(f"cannot use the TLS certificate {key}", err)
            status, _, err = run_edgehubd("--port", "0", "--guest", "--cert", cert)
            self.assertEqual(status, 2, err)
            self.assertIn("--cert requires --key", err)

    @unittest.skipUnless(OPENSSL, "openssl is not installed")
    def test_sighup_serves_the_renewed_certificate_and_keeps_a_broken_one_out(self):
        with Server() as first, Server() as second:
            work = tempfile.mkdtemp(prefix="edgehub-tls-reload-")
            self.addCleanup(shutil.rmtree, work, True)
            cert, key = os.path.join(work, "server.crt"), os.path.join(work, "server.key")

            def install(crt_from, key_from):  # as a renewal tool does: write aside, rename
                for source, target in ((crt_from, cert), (key_from, key)):
                    shutil.copyfile(source, target + ".new")
                    os.replace(target + ".new", target)

            install(first.path("tls", "server.crt"), first.path("tls", "server.key"))
            with Server("--cert", cert, "--key", key) as server:
                bob = s_client_login(self, server, "bob", "bu1lder")  # online across the reloads
                install(second.path("tls", "server.crt"), second.path("tls", "server.key"))
                server.proc.send_signal(signal.SIGHUP)
                wait_until(lambda: f"TLS certificate reloaded: fingerprint {second.fingerprint} (was "
                           f"{first.fingerprint})" in server.log(), what="the reload")
                env, _ = fresh_config(self)
                status, out, err = run_client(server, "--fingerprint", second.fingerprint, env=env)
                self.assertEqual((status, err), (0, ""), out)
                self.assertIn("bob", out, "bob, online over TLS since before the reload, is still there")
                status, out, err = run_client(server, "--fingerprint", first.fingerprint, env=env)
                self.assertNotEqual(status, 0, out + err)

                with open(key, "w") as f:
                    f.write("not a key\n")
                server.proc.send_signal(signal.SIGHUP)
                wait_until(lambda: f"still serving the certificate {second.fingerprint}" in server.log(),
                           what="the refusal of the broken key")
                self.assertIn(f"cannot use the TLS key {key}", server.log())
                status, out, err = run_client(server, "--fingerprint", second.fingerprint, env=env)
                self.assertEqual((status, err), (0, ""), out)
                bob.command("AED")
                bob.out.expect(r"^\+OK no other active edge devices|^\*", what="bob's answer after the reloads")

    def test_fingerprint_command_prints_the_logged_one(self):
        with Server() as server:
            out = run(EDGEHUBD, "fingerprint", "--data-dir", server.data_dir)
            self.assertEqual((out.returncode, out.stdout.decode().strip()), (0, server.fingerprint))
            self.assertRegex(server.log(), re.escape(f"TLS certificate fingerprint {server.fingerprint}"))
            mode = os.stat(server.path("tls", "server.key")).st_mode & 0o777
            self.assertEqual(mode, 0o600)
        empty = tempfile.mkdtemp(prefix="edgehub-tls-empty-")
        self.addCleanup(shutil.rmtree, empty, True)
        out = run(EDGEHUBD, "fingerprint", "--data-dir", empty)
        self.assertEqual(out.returncode, 1)
        self.assertIn("no TLS certificate in", out.stderr.decode())


if __name__ == "__main__":
    unittest.main()
