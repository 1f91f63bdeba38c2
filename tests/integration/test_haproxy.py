"""Load balancing (docs/CLUSTER.md#load-balancing): a real HAProxy, run from
contrib/haproxy/haproxy.cfg, in front of real edgehubd nodes started with
--proxy-protocol 127.0.0.1/32 (HAProxy's own address here). Devices connect
from other loopback addresses (127.0.0.2, ...), so what a node sees is the
address in the PROXY header, never the proxy's. Headers HAProxy would not
send (a non-loopback client, malformed ones) are written by hand from
127.0.0.1, the trusted address."""
import json
import os
import re
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import types
import unittest

from client_home import pin_server
from harness import (DEFAULT_TIMEOUT, Client, HubTestCase, LineReader, RawConnection, Server, free_port, run_edgehubd,
                     wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "..", "..", "contrib", "haproxy", "haproxy.cfg")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
# One name per test, so that no test waits for another's logout.
CREDENTIALS = {name: f"{name}-pw" for name in ("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan")}


def v2_header(source, source_port=40000, command=0x21):
    """A PROXY protocol v2 header from `source` (IPv4 or IPv6) to port 7475."""
    if ":" in source:
        family, addresses = 0x21, socket.inet_pton(socket.AF_INET6, source) + socket.inet_pton(socket.AF_INET6, "::1")
    else:
        family, addresses = 0x11, socket.inet_aton(source) + socket.inet_aton("127.0.0.1")
    body = addresses + struct.pack(">HH", source_port, 7475)
    return V2_SIGNATURE + bytes([command, family]) + struct.pack(">H", len(body)) + body


class Device(RawConnection):
    """A RawConnection from a chosen loopback source address, optionally
    after bytes of its own (a PROXY header) and over TLS."""

    def __init__(self, port, source="127.0.0.1", prefix=b"", tls=False):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(DEFAULT_TIMEOUT)
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        if prefix:
            sock.sendall(prefix)
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test checks addresses, not the certificate
            sock = context.wrap_socket(sock)
        self.sock = sock
        self.buf = b""

    def say(self, text):
        self.send(text + "\n")

    def expect_line(self, prefix):
        return self.expect("^" + re.escape(prefix))

    def closed(self):
        """True once the server closes, with nothing more said."""
        return self.line() is None

    def login(self, name, password, udp_port=None):
        self.expect_line("+OK EDGEHUB/")
        self.say(f"login {name} {password}" + (f" {udp_port}" if udp_port else ""))
        self.expect_line(f"+OK Welcome to edgehub, {name}!")
        return self


class HaproxyFront:
    """HAProxy with the contrib configuration, its ports filled in."""

    def __init__(self, nodes):
        self.root = tempfile.mkdtemp(prefix="edgehub-haproxy-")
        self.port = free_port()
        self.stats = os.path.join(self.root, "stats.sock")
        env = dict(os.environ, EDGEHUB_LB_BIND=f"127.0.0.1:{self.port}", EDGEHUB_LB_STATS=self.stats)
        for i, node in enumerate(nodes, 1):
            env[f"EDGEHUB_NODE{i}"] = node
        self.proc = subprocess.Popen([HAPROXY, "-db", "-f", CONFIG], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        self.log = LineReader(self.proc.stderr)

    def servers(self):
        """{server name: (status, check status)} from the runtime API."""
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(DEFAULT_TIMEOUT)
                s.connect(self.stats)
                s.sendall(b"show stat\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
        except (FileNotFoundError, ConnectionRefusedError):
            return {}  # not up yet
        lines = data.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
        # A check under way shows the last result prefixed with "* "
        # (HAProxy's management guide, check_status): the result is what counts.
        return {r["svname"]: (r["status"], r["check_status"].removeprefix("* ")) for r in rows
                if r["pxname"] == "edgehubd" and r["svname"] != "BACKEND"}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=DEFAULT_TIMEOUT)
        self.proc.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)


def device_log_address(server, name):
    """The address edge-device-log.txt gives `name`, or None."""
    try:
        with open(server.path("edge-device-log.txt")) as f:
            for line in f:
                fields = line.rstrip("\n").split("; ")
                if len(fields) == 5 and fields[2] == name:
                    return fields[3]
    except FileNotFoundError:
        pass
    return None


class LoadBalancingTest(HubTestCase):
    """Two live nodes sharing one certificate, and a third address where no
    node listens, which the health checks must take out."""

    @classmethod
    def setUpClass(cls):
        cls.nodes, cls.front = [], None
        try:
            cls.start_cluster()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def start_cluster(cls):
        cls.first = Server("--proxy-protocol", "127.0.0.1/32", credentials=CREDENTIALS)
        cls.nodes.append(cls.first)
        tls = os.path.join(cls.first.data_dir, "tls")
        cls.second = Server("--proxy-protocol", "127.0.0.1/32,::1", "--cert", os.path.join(tls, "server.crt"),
                            "--key", os.path.join(tls, "server.key"), credentials=CREDENTIALS)
        cls.nodes.append(cls.second)
        dead = f"127.0.0.1:{free_port()}"
        cls.front = HaproxyFront([f"127.0.0.1:{cls.first.port}", f"127.0.0.1:{cls.second.port}", dead])
        # Until the checks have run, HAProxy would still send devices to the
        # dead address; the tests start once it knows.
        want = {"node1": ("UP", "L7OK"), "node2": ("UP", "L7OK"), "node3": ("DOWN", "L4CON")}
        wait_until(lambda: cls.front.servers() == want, what=f"HAProxy's health checks: want {want}")
        pin_server(cls.front.port, cls.first.fingerprint)

    @classmethod
    def tearDownClass(cls):
        if cls.front:
            cls.front.stop()
        reports = []
        for node in cls.nodes:
            try:
                node.stop()  # fails on a sanitizer report in the node's log
                shutil.rmtree(node.root, ignore_errors=True)
            except AssertionError as e:
                reports.append(e)
        if reports:
            raise reports[0]

    def device(self, port, **kwargs):
        d = Device(port, **kwargs)
        self.addCleanup(d.close)
        return d

    def node_of(self, name):
        """The node where `name` logged in, once its device log says so."""
        wait_until(lambda: any(device_log_address(n, name) for n in self.nodes), what=f"{name} in a device log")
        return next(n for n in self.nodes if device_log_address(n, name))

    def aed_on(self, node, observer):
        """AED as `observer` sees it, connected straight to the node from a
        loopback address that is not a proxy (so it sends no header)."""
        d = self.device(node.port, source="127.0.0.3").login(observer, node.credentials[observer])
        d.say("AED")
        first = d.expect_line("*")
        return [d.line() for _ in range(int(first[1:].split(" ", 1)[0]))]

    def test_health_checks_mark_live_nodes_up_and_the_dead_one_down(self):
        self.assertEqual(self.front.servers()["node1"], ("UP", "L7OK"))
        self.assertEqual(self.front.servers()["node3"][0], "DOWN")

    def test_a_device_through_haproxy_is_seen_with_its_own_address(self):
        self.device(self.front.port, source="127.0.0.2").login("alice", CREDENTIALS["alice"], udp_port=5000)
        node = self.node_of("alice")
        self.assertEqual(device_log_address(node, "alice"), "127.0.0.2")
        self.assertTrue(any(line.startswith("alice, 127.0.0.2, 5000, active since") for line in self.aed_on(node, "bob")))

    def test_tls_passes_through_and_the_real_client_works(self):
        self.device(self.front.port, source="127.0.0.4", tls=True).login("carol", CREDENTIALS["carol"])
        self.assertEqual(device_log_address(self.node_of("carol"), "carol"), "127.0.0.4")
        # The edgehub program, over TLS, pinned to the nodes' shared certificate.
        shim = types.SimpleNamespace(port=self.front.port, root=self.first.root, credentials=self.first.credentials)
        client = Client(shim, "dave")
        self.addCleanup(client.release)
        self.assertEqual(device_log_address(self.node_of("dave"), "dave"), "127.0.0.1")
        self.assertEqual(client.finish(), 0)

    def test_a_failed_login_counts_against_the_real_address(self):
        d = self.device(self.front.port, source="127.0.0.6")
        d.expect_line("+OK EDGEHUB/")
        d.say("login erin wrong")
        self.assertTrue(d.expect_line("-ERR").startswith("-ERR 401"))
        wait_until(lambda: any("event=login_failed addr=127.0.0.6 user=erin" in n.log() for n in self.nodes),
                   what="the failed login in a node's security log")

    def test_plaintext_from_a_remote_real_address_is_told_to_use_tls(self):
        # The socket is loopback (the proxy's); the client it speaks for is not.
        d = self.device(self.first.port, prefix=v2_header("192.0.2.7"))
        d.say("login frank " + CREDENTIALS["frank"])
        self.assertTrue(d.expect_line("-ERR").startswith("-ERR 426 "))
        self.assertTrue(d.closed())
        # Over TLS the same claim is welcome, and it is the address the hub shows.
        self.device(self.first.port, prefix=v2_header("192.0.2.7"), tls=True).login("frank", CREDENTIALS["frank"])
        wait_until(lambda: device_log_address(self.first, "frank") == "192.0.2.7", what="the remote client")
        self.device(self.second.port, prefix=v2_header("2001:db8::7"), tls=True).login("frank", CREDENTIALS["frank"])
        wait_until(lambda: device_log_address(self.second, "frank") == "2001:db8::7", what="the IPv6 client")

    def test_a_version_1_header_and_a_local_command(self):
        header = b"PROXY TCP4 127.0.0.9 127.0.0.1 40000 7475\r\n"
        self.device(self.second.port, prefix=header).login("gina", CREDENTIALS["gina"])
        wait_until(lambda: device_log_address(self.second, "gina") == "127.0.0.9", what="the version 1 client")
        # LOCAL (a health check): the connection keeps the socket's address.
        d = self.device(self.second.port, prefix=v2_header("192.0.2.8", command=0x20))
        d.expect_line("+OK EDGEHUB/")

    def test_a_header_from_an_address_that_is_not_a_proxy_is_refused(self):
        for header in (v2_header("192.0.2.7"), b"PROXY TCP4 192.0.2.7 127.0.0.1 40000 7475\r\n"):
            d = self.device(self.first.port, source="127.0.0.5", prefix=header)
            self.assertEqual(d.line(), "-ERR 403 PROXY protocol header refused: 127.0.0.5 is not a trusted proxy "
                                       "(--proxy-protocol)")
            self.assertTrue(d.closed())
        # Nor may a proxied client add a header of its own.
        d = self.device(self.first.port, prefix=v2_header("127.0.0.7") + v2_header("192.0.2.9"))
        self.assertTrue(d.line().startswith("-ERR 403 PROXY protocol header refused: 127.0.0.7 "))
        self.assert_still_serving(self.first, "hank")

    def test_a_bad_header_from_the_proxy_is_refused_and_nothing_else_changes(self):
        truncated = v2_header("192.0.2.7")[:20]
        for prefix, reason in ((b"login alice wonder1and\n", "the connection does not start with a PROXY protocol"),
                               (V2_SIGNATURE + b"\x21\x12\x00\x0c" + bytes(12), "version 2 transport is not STREAM"),
                               (b"PROXY TCP4 192.0.2.7 10.0.0.1 99999 1\r\n", "version 1 port is not a number"),
                               (b"PROXY " + b"x" * 120, "version 1 header longer than 107 bytes")):
            d = self.device(self.first.port, prefix=prefix)
            line = d.line()
            self.assertTrue(line.startswith(f"-ERR 400 Bad PROXY protocol header: {reason}"), line)
            self.assertTrue(d.closed())
        d = self.device(self.first.port, prefix=truncated)
        d.sock.shutdown(socket.SHUT_WR)  # gives up halfway
        self.assertEqual(d.line(), "-ERR 400 Bad PROXY protocol header: the connection ended inside the PROXY "
                                   "protocol header")
        self.assertTrue(d.closed())
        self.assert_still_serving(self.first, "ivan")

    def assert_still_serving(self, node, name):
        self.assertTrue(node.alive())
        self.device(self.front.port, source="127.0.0.8").login(name, CREDENTIALS[name])


class OptionTest(unittest.TestCase):
    def test_proxy_protocol_wants_networks_and_is_in_the_help(self):
        for bad, said in (("10.0.0.0/33", "'10.0.0.0/33' is not an IPv4 or IPv6 network"),
                          ("127.0.0.1,haproxy", "'haproxy' is not an IPv4 or IPv6 network")):
            status, _out, err = run_edgehubd("--proxy-protocol", bad, "--port", "0")
            self.assertEqual(status, 2, err)
            self.assertIn(said, err)
        status, out, _err = run_edgehubd("--help")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"--proxy-protocol CIDR\s+proxies \(IPv4/IPv6 CIDRs")


class SingleNodeTest(HubTestCase):
    """Headers written by hand to one node, for options of its own."""

    def device(self, port, **kwargs):
        d = Device(port, **kwargs)
        self.addCleanup(d.close)
        return d

    def test_per_address_limits_count_the_real_address(self):
        with Server("--proxy-protocol", "127.0.0.1", "--max-per-address", "1") as node:
            self.device(node.port, prefix=v2_header("127.0.0.2")).expect_line("+OK EDGEHUB/")
            second = self.device(node.port, prefix=v2_header("127.0.0.2"))
            self.assertTrue(second.line().startswith("-ERR 429 "))
            # Every connection comes from the proxy's 127.0.0.1; another client is still welcome.
            self.device(node.port, prefix=v2_header("127.0.0.3")).expect_line("+OK EDGEHUB/")

    def http(self, node, body, **kwargs):
        """One HTTP/1.1 request to the node's HTTP port; the status line and
        the rest of the answer."""
        d = self.device(node.http_port, **kwargs)
        d.send(body)
        status = d.line()
        rest = []
        while (line := d.line()) is not None:
            rest.append(line)
        rest.append(d.buf.decode())  # the body, which ends without a newline
        return status, "\n".join(rest)

    def test_the_http_port_takes_the_same_headers(self):
        login = json.dumps({"name": "alice", "password": "wrong"})
        request = (f"POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {len(login)}\r\n\r\n{login}")
        with Server("--proxy-protocol", "127.0.0.1", http=True) as node:
            # A loopback client behind the proxy may use plain HTTP, and is
            # the address its failed login is counted against.
            status, _ = self.http(node, request, prefix=v2_header("127.0.0.2"))
            self.assertIn(" 401 ", status)
            wait_until(lambda: "event=login_failed addr=127.0.0.2 user=alice" in node.log(),
                       what="the HTTP login failure under the client's address")
            # A remote one is told to use TLS, though the socket is loopback.
            status, _ = self.http(node, request, prefix=v2_header("192.0.2.7"))
            self.assertIn(" 426 ", status)
            status, body = self.http(node, request, source="127.0.0.5", prefix=v2_header("192.0.2.7"))
            self.assertIn(" 403 ", status)
            self.assertIn("proxy_header_refused", body)
            status, body = self.http(node, request)  # the proxy without a header
            self.assertIn(" 400 ", status)
            self.assertIn("Bad PROXY protocol header: the connection does not start with a PROXY protocol header",
                          body)
            self.assertTrue(node.alive())

    def test_a_proxy_that_sends_no_header_in_time_is_told_and_closed(self):
        with Server("--proxy-protocol", "127.0.0.1", "--tls-handshake-timeout", "1") as node:
            d = self.device(node.port)
            self.assertEqual(d.line(), "-ERR 400 Bad PROXY protocol header: no PROXY protocol header in time")
            self.assertTrue(d.closed())
            self.assertTrue(node.alive())


if __name__ == "__main__":
    unittest.main()
