"""The HTTP listener of a real edgehubd, with curl and raw sockets
(docs/HTTP_API.md#the-http-server): what it serves on loopback, HTTPS with
the device port's certificate, plain HTTP refused off loopback, and every
kind of bad input answered with a JSON error that changes nothing.
Downloads, ranges, resumes and uploads against test routes are in
tests/unit/web/server/http_server_test.cpp."""
import json
import socket
import subprocess
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, run_edgehubd


def curl(*args):
    done = subprocess.run(["curl", "-s", "--max-time", str(DEFAULT_TIMEOUT), *args], capture_output=True,
                          timeout=DEFAULT_TIMEOUT + 5)
    return done.stdout.decode("utf-8", "replace")


def raw_exchange(port, data, host="127.0.0.1"):
    """Sends data and returns everything until the server closes."""
    with socket.create_connection((host, port), timeout=DEFAULT_TIMEOUT) as s:
        s.sendall(data)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out.decode("utf-8", "replace")


def json_body(reply):
    return json.loads(reply.split("\r\n\r\n", 1)[1])


def other_local_address():
    """A non-loopback address of this machine (its traffic to itself comes
    from that address), or None."""
    for family, probe in ((socket.AF_INET, ("192.0.2.1", 9)), (socket.AF_INET6, ("2001:db8::1", 9))):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect(probe)
                address = s.getsockname()[0]
                if not address.startswith("127.") and address != "::1":
                    return address
        except OSError:
            continue
    return None


class HttpOnLoopback(HubTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(http=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def url(self, path, scheme="http"):
        return f"{scheme}://127.0.0.1:{self.server.http_port}{path}"

    def test_serves_the_console_over_http_and_https(self):
        self.server.out.expect(f"edgehubd http listening on 127.0.0.1:{self.server.http_port}")
        self.assertEqual(curl("-o", "/dev/null", "-w", "%{http_code}", self.url("/")), "200")
        # HTTPS with the device port's own (self-signed) certificate.
        out = curl("-k", "-o", "/dev/null", "-w", "%{http_code} %{scheme}", self.url("/", "https"))
        self.assertEqual(out, "200 HTTPS")

    def test_errors_are_json(self):
        reply = curl("-i", self.url("/no/such/path"))
        self.assertIn("HTTP/1.1 404", reply)
        self.assertEqual(json_body(reply), {"status": 404, "code": "not_found", "message": "no such path"})
        self.assertEqual(json_body(curl("-i", "-X", "DELETE", self.url("/")))["code"], "method_not_allowed")

    def test_paths_that_leave_their_folder(self):
        for path in ("/assets/..%2f..%2fetc%2fpasswd", "/assets/%2e%2e", "/assets/../../etc/passwd", "/assets/a%00.js",
                     "/assets/%ff.js", "/assets/%2E%2e%2Fx", "/assets/./app.js"):
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            reply = raw_exchange(self.server.http_port, request.encode())
            self.assertIn("HTTP/1.1 400", reply, path)
            self.assertEqual(json_body(reply)["code"], "bad_path", path)

    def test_oversized_and_malformed_requests(self):
        big = raw_exchange(self.server.http_port,
                           b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
        self.assertIn("HTTP/1.1 431", big)
        self.assertEqual(json_body(big)["code"], "headers_too_large")
        self.assertIn("HTTP/1.1 400", raw_exchange(self.server.http_port, b"NOT HTTP AT ALL\r\n\r\n"))
        self.assertIn("HTTP/1.1 400", raw_exchange(self.server.http_port, b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"))
        body = curl("-i", "-X", "POST", "--data-binary", "x" * 100_000, self.url("/"))
        self.assertRegex(body, r"HTTP/1.1 (405|413)")  # no POST route at / : refused before the body is read
        # The server is still there and unchanged.
        self.assertEqual(curl("-o", "/dev/null", "-w", "%{http_code}", self.url("/")), "200")


class HttpDeadlines(HubTestCase):
    def test_slow_headers_get_408_then_close(self):
        with Server("--http-header-timeout", "1", http=True) as server:
            # A header block that never ends; the server answers and closes.
            reply = raw_exchange(server.http_port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            self.assertIn("HTTP/1.1 408", reply)
            self.assertEqual(json_body(reply)["code"], "request_timeout")
            self.assertEqual(curl("-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{server.http_port}/"),
                             "200")


class HttpOffLoopback(HubTestCase):
    def test_plain_http_refused_https_served(self):
        address = other_local_address()
        if address is None:
            self.skipTest("this machine has no address but loopback")
        bind = "::" if ":" in address else "0.0.0.0"
        host = f"[{address}]" if ":" in address else address
        with Server("--http-bind", bind, http=True) as server:
            reply = curl("-i", f"http://{host}:{server.http_port}/")
            self.assertIn("HTTP/1.1 426", reply)
            self.assertEqual(json_body(reply)["code"], "tls_required")
            out = curl("-k", "-o", "/dev/null", "-w", "%{http_code}", f"https://{host}:{server.http_port}/")
            self.assertEqual(out, "200")
            self.assertIn("plaintext from", server.log())


class HttpOptions(unittest.TestCase):
    def test_port_in_use_refuses_the_start(self):
        with Server(http=True) as server:
            status, _out, err = run_edgehubd("--port", "0", "--guest", "--http-port", str(server.http_port))
            self.assertEqual(status, 2, err)
            self.assertIn(f"cannot listen on 127.0.0.1:{server.http_port}", err)

    def test_help_names_the_options(self):
        status, out, _err = run_edgehubd("--help")
        self.assertEqual(status, 0)
        for option in ("--http-port", "--http-bind", "--http-max-connections", "--http-header-timeout",
                       "--http-body-timeout", "--http-session-idle", "--http-session-max"):
            self.assertIn(option, out)


if __name__ == "__main__":
    unittest.main()
