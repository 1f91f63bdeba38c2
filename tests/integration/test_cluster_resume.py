"""Resume tokens across nodes (docs/CLUSTER.md#resume-tokens-across-nodes):
a token issued by one node resumes on another, once; a token of a
certificate login needs the same certificate on every node; a resume
refused because the account is online on another node leaves the token
as it was; two nodes spending one token at once: exactly one wins. The
table keeps digests, never tokens."""
import os
import shutil
import subprocess
import tempfile
import threading

import cluster_fixture
from cluster_fixture import LEASE, ClusterFixture, setUpModule, tearDownModule  # noqa: F401
from harness import EDGEHUBD, Server, reply_to, wait_until
from test_device_login import TlsLine

WELCOME = "+OK Welcome to edgehub, alice!"
SPENT = "-ERR 401 Invalid or expired resume token; log in with your password"
ONLINE = "-ERR 409 alice is already logged in"


class ClusterResumeTest(ClusterFixture):
    def resume(self, node, name, token):
        """A new connection to node, after `resume NAME TOKEN`: (the reply,
        the connection, the new token if it succeeded)."""
        conn = node.raw()
        self.addCleanup(conn.close)
        greeting = conn.expect(r"^(\+OK EDGEHUB/|-ERR )")
        if greeting.startswith("-ERR "):  # the node turns new devices away while its database is
            return greeting, conn, None   # out of reach (the same answer as the resume's)
        conn.send(f"resume {name} {token}\n")
        answer = conn.expect(r"^[+-]")
        new = conn.expect(r"^!TOKEN ").split(" ", 1)[1] if answer.startswith("+OK") else None
        return answer, conn, new

    def bye(self, conn):
        self.assertTrue(reply_to(conn, "OUT")[0].startswith("+OK Bye"))

    def claims(self, account):
        return self.sql(f"SELECT count(*) FROM cluster_sessions WHERE account = '{account}'")

    def test_a_token_from_one_node_resumes_on_another_once(self):
        with self.node() as a, self.node() as b:
            alice = self.raw_login(a, "alice")
            token = alice.token
            stored = self.sql("SELECT digest FROM cluster_resume_tokens WHERE account = 'alice'")
            self.assertEqual(len(stored), 64)
            self.assertNotEqual(stored, token, "a digest is kept, never the token")
            # Hung up right after the login: no OUT, the node frees the name
            # when it notices.
            alice.close()
            wait_until(lambda: self.claims("alice") == "0", what="alice's claim released")
            answer, on_b, new = self.resume(b, "alice", token)
            self.assertEqual(answer, WELCOME)
            self.assertNotEqual(new, token, "resuming rotates the token")
            self.bye(on_b)
            self.assertEqual(self.resume(a, "alice", token)[0], SPENT, "a token is spent once, on every node")
            answer, on_a, _ = self.resume(a, "alice", new)
            self.assertEqual(answer, WELCOME, "the token B issued resumes on A")
            self.bye(on_a)

    def test_a_resume_refused_as_online_elsewhere_keeps_the_token(self):
        with self.node() as a, self.node() as b:
            alice = self.raw_login(a, "alice")
            self.assertEqual(self.resume(b, "alice", alice.token)[0], ONLINE)
            self.assertEqual(self.resume(a, "alice", alice.token)[0], ONLINE, "and on its own node")
            self.bye(alice)
            self.assertEqual(self.resume(b, "alice", alice.token)[0], WELCOME, "the token was not spent")

    def test_two_nodes_spending_one_token_at_once_exactly_one_wins(self):
        with self.node() as a, self.node() as b:
            for attempt in range(20):
                login = self.raw_login(a if attempt % 2 else b, "alice")
                self.bye(login)
                answers = {}
                conns = {}
                for name, node in (("a", a), ("b", b)):
                    conns[name] = node.raw()
                    self.addCleanup(conns[name].close)
                    conns[name].expect(r"^\+OK EDGEHUB/")
                start = threading.Barrier(2)

                def race(name):
                    start.wait()
                    conns[name].send(f"resume alice {login.token}\n")
                    answers[name] = conns[name].expect(r"^[+-]")
                threads = [threading.Thread(target=race, args=(n,)) for n in conns]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                self.assertEqual(sorted(answers.values()), sorted([WELCOME, SPENT]), f"attempt {attempt}: {answers}")
                winner = next(n for n, line in answers.items() if line == WELCOME)
                self.bye(conns[winner])

    def test_an_expired_token_is_refused_and_removed_by_the_lease_round(self):
        with self.node() as a, self.node() as b:
            alice = self.raw_login(a, "alice")
            self.bye(alice)
            # Expiry is the database's clock: moved back here, not waited for.
            self.sql("UPDATE cluster_resume_tokens SET expires_at = now() - interval '1 second'")
            self.assertEqual(self.resume(b, "alice", alice.token)[0], SPENT)
            wait_until(lambda: self.sql("SELECT count(*) FROM cluster_resume_tokens") == "0",
                       timeout=LEASE + 8, what="the expired token removed")

    def test_a_database_out_of_reach_at_resume_is_a_503_and_spends_nothing(self):
        with self.node() as a:
            alice = self.raw_login(a, "alice")
            self.bye(alice)
            # Every connection of the node cut, and no new one allowed.
            db = self.database
            cluster_fixture.PG.psql(f"ALTER DATABASE {db} ALLOW_CONNECTIONS false")
            cluster_fixture.PG.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'")
            try:
                self.assertEqual(self.resume(a, "alice", alice.token)[0],
                                 "-ERR 503 The cluster's database cannot be reached; try again later")
            finally:
                cluster_fixture.PG.psql(f"ALTER DATABASE {db} ALLOW_CONNECTIONS true")
            self.assertEqual(self.resume(a, "alice", alice.token)[0], WELCOME, "the token was not spent")


class ClusterCertificateResumeTest(ClusterFixture):
    """A token issued on a certificate login, on another node: it needs the
    same certificate there too."""

    def setUp(self):
        super().setUp()
        self.root = tempfile.mkdtemp(prefix="edgehub-cluster-resume-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.certs = os.path.join(self.root, "certs")
        os.makedirs(self.certs)
        self.data = [os.path.join(self.root, d) for d in ("a", "b")]
        for args in (("init",), ("issue", "sensor2", "--out", self.certs)):
            p = subprocess.run([EDGEHUBD, "ca", *args, "--data-dir", self.data[0], "--database", self.url],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 0, p.stderr)
        # One CA for the cluster: the second node gets the same files.
        shutil.copytree(os.path.join(self.data[0], "ca"), os.path.join(self.data[1], "ca"))

    def cluster_node(self, data_dir):
        return Server("--database", self.url, "--cluster-lease", str(LEASE), data_dir=data_dir)

    def connect(self, node, cert=None):
        conn = TlsLine(node.port, cert)
        self.addCleanup(conn.close)
        return conn

    def test_a_certificate_token_resumes_on_another_node_only_with_the_certificate(self):
        cert = (os.path.join(self.certs, "sensor2.crt"), os.path.join(self.certs, "sensor2.key"))
        with self.cluster_node(self.data[0]) as a, self.cluster_node(self.data[1]) as b:
            on_a = self.connect(a, cert)
            self.assertEqual(on_a.ask("certlogin sensor2"), "+OK Welcome to edgehub, sensor2!")
            token = on_a.line().split()[1]
            self.assertTrue(on_a.ask("OUT").startswith("+OK Bye"))
            self.assertEqual(self.connect(b).ask(f"resume sensor2 {token}"),
                             "-ERR 401 This resume token belongs to a certificate login: resume over TLS with the "
                             "same certificate, or log in again")
            self.assertEqual(self.connect(b, cert).ask(f"resume sensor2 {token}"), "+OK Welcome to edgehub, sensor2!")
