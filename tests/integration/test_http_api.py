"""The JSON API and its WebSocket against a real edgehubd
(docs/HTTP_API.md): the document's curl examples, every endpoint, a
terminal client and a browser session exchanging messages both ways, and
the bad input of issue 16 that the API answers (JSON, CSRF, cookies)."""
import base64
import hashlib
import json
import os
import re
import socket
import struct
import subprocess
import tempfile
import unittest

from harness import DEFAULT_TIMEOUT, EDGEHUBD, Client, HubTestCase, Server, wait_until
from postgres_database import database_args

DOC = os.path.join(os.path.dirname(__file__), "../../docs/HTTP_API.md")


class Http:
    """curl against one server; keeps the session cookie and CSRF token."""

    def __init__(self, server):
        self.base = f"http://127.0.0.1:{server.http_port}"
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None, csrf=True, headers=(), cookie=None):
        args = ["curl", "-s", "-i", "--max-time", str(DEFAULT_TIMEOUT), "-X", method, self.base + path]
        if body is not None:
            args += ["-H", "Content-Type: application/json", "--data-binary", body if isinstance(body, str) else json.dumps(body)]
        cookie = cookie or self.cookie
        if cookie:
            args += ["-H", f"Cookie: edgehub_session={cookie}"]
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            args += ["-H", f"X-CSRF-Token: {self.csrf}"]
        for h in headers:
            args += ["-H", h]
        out = subprocess.run(args, capture_output=True, timeout=DEFAULT_TIMEOUT + 5).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        return status, head.decode("latin-1"), payload

    def json(self, method, path, body=None, **kw):
        status, head, payload = self.call(method, path, body, **kw)
        return status, (json.loads(payload) if payload.strip() else None)

    def login(self, name, password):
        status, head, payload = self.call("POST", "/api/v1/login", {"name": name, "password": password})
        if status == 200:
            self.cookie = re.search(r"edgehub_session=([0-9a-f]+)", head).group(1)
            self.csrf = json.loads(payload)["csrf"]
        return status, head, json.loads(payload)


class WebSocket:
    """A minimal RFC 6455 client (Debian's python3 has no websocket module)."""

    def __init__(self, port, cookie):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEFAULT_TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Cookie: edgehub_session={cookie}\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed the WebSocket")
        return chunk

    def _take(self, n):
        while len(self.buf) < n:
            self.buf += self._recv()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, opcode, payload, fin=True):
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([(0x80 if fin else 0) | opcode])
        head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else \
            bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def frame(self):
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._take(8))[0]
        return b0 & 0x0F, self._take(n)

    def event(self, predicate=lambda e: True):
        """The next JSON event for which predicate holds (answering pings)."""
        while True:
            opcode, payload = self.frame()
            if opcode == 9:
                self.send(10, payload)
            elif opcode == 8:
                raise EOFError(f"closed: {payload!r}")
            elif opcode == 1:
                event = json.loads(payload)
                if predicate(event):
                    return event

    def close(self):
        self.sock.close()


def grant_admin(server, name):
    """`edgehubd user admin NAME on`, then waits until a login says so
    (the running server notices the change within a second); NAME is
    logged out again."""
    done = subprocess.run([EDGEHUBD, "user", "admin", name, "on", "--data-dir", server.data_dir,
                           *database_args(server.data_dir)],
                          capture_output=True, text=True, timeout=DEFAULT_TIMEOUT)
    assert done.returncode == 0, done.stderr
    probe = Http(server)

    def logged_in_as_admin():
        answer = probe.login(name, server.credentials[name])[2]
        probe.call("POST", "/api/v1/logout")
        return answer.get("admin", False)

    wait_until(logged_in_as_admin, what=f"{name}'s admin role")


def sh_blocks(path):
    with open(path) as f:
        return re.findall(r"```sh\n(.*?)```", f.read(), re.S)


class HttpApi(HubTestCase):
    def setUp(self):
        self.server = Server(http=True)
        self.addCleanup(self.server.stop)
        self.http = Http(self.server)

    def terminal(self, name):
        client = Client(self.server, name)
        self.addCleanup(client.release)
        return client

    def make_admin(self, name):
        grant_admin(self.server, name)

    def test_the_documents_curl_examples_run(self):
        alice = self.terminal("alice")
        alice.command("EDG 3 100", r"Data generation done")
        alice.command("UED 3", r"file 3 uploaded: 100 values")
        alice.finish()
        os.makedirs(self.server.path("files"), exist_ok=True)
        with open(self.server.path("files", "notes.txt"), "w") as f:
            f.write("hello")
        self.make_admin("alice")
        bob = self.terminal("bob")
        # Each answer on its own line: curl prints none after the body.
        script = "set -e\ncurl() { command curl \"$@\"; echo; }\n" + "\n".join(sh_blocks(DOC))
        cwd = tempfile.mkdtemp(dir=self.server.root)
        env = dict(os.environ, EDGEHUB=self.http.base)
        done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=DEFAULT_TIMEOUT * 3)
        self.assertEqual(done.returncode, 0, done.stderr)
        answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        self.assertGreaterEqual(len(answers), 6, done.stdout)
        for answer in answers:
            self.assertNotIn("code", answer, done.stdout)
        bob.expect(r"hello from curl")

    def test_a_terminal_and_a_browser_exchange_messages_both_ways(self):
        bob = self.terminal("bob")
        status, _, answer = self.http.login("alice", "wonder1and")
        self.assertEqual(status, 200)
        ws = WebSocket(self.server.http_port, self.http.cookie)
        self.addCleanup(ws.close)
        self.assertEqual(ws.status, 101)
        self.assertEqual(ws.event(), {"type": "hello", "name": "alice"})
        bob.send("message alice hi browser")
        event = ws.event(lambda e: e["type"] == "message")
        self.assertEqual((event["from"], event["text"], event["stored"]), ("bob", "hi browser", False))
        self.assertEqual(self.http.json("POST", "/api/v1/messages", {"to": "bob", "text": "hi terminal"}),
                         (200, {"delivered": "live"}))
        bob.expect(r"hi terminal")
        carol = self.terminal("carol")
        login = ws.event(lambda e: e["type"] == "login")
        self.assertEqual((login["name"], login["kind"]), ("carol", "terminal"))
        carol.finish()
        self.assertEqual(ws.event(lambda e: e["type"] == "logout")["name"], "carol")
        self.assertEqual(self.http.call("POST", "/api/v1/logout")[0], 204)
        self.assertEqual(ws.event(lambda e: e["type"] == "bye")["reason"], "Logged out")

    def test_presence_blocks_and_history(self):
        self.terminal("bob")
        self.http.login("alice", "wonder1and")
        status, devices = self.http.json("GET", "/api/v1/devices")
        self.assertEqual(status, 200)
        self.assertEqual([(d["name"], d["kind"]) for d in devices["devices"]], [("bob", "terminal")])
        status, history = self.http.json("GET", "/api/v1/devices/history?since=60")
        self.assertEqual([e["name"] for e in history["events"]], ["bob"])
        self.assertEqual(self.http.json("POST", "/api/v1/blocks", {"name": "bob"})[0], 200)
        self.assertEqual(self.http.json("GET", "/api/v1/blocks"), (200, {"blocked": ["bob"]}))
        self.assertEqual(self.http.json("DELETE", "/api/v1/blocks/bob")[0], 200)
        self.assertEqual(self.http.json("DELETE", "/api/v1/blocks/bob")[1]["code"], "conflict")
        bob_browser = Http(self.server)
        self.assertEqual(bob_browser.login("bob", "bu1lder")[2]["code"], "already_online")

    def test_files_list_and_download_with_etag_and_ranges(self):
        content = os.urandom(100_000)
        os.makedirs(self.server.path("files"), exist_ok=True)
        with open(self.server.path("files", "blob.bin"), "wb") as f:
            f.write(content)
        self.http.login("alice", "wonder1and")
        status, listing = self.http.json("GET", "/api/v1/files")
        self.assertEqual([(f["name"], f["size"]) for f in listing["files"]], [("blob.bin", 100_000)])
        status, head, body = self.http.call("GET", "/api/v1/files/blob.bin")
        self.assertEqual((status, body), (200, content))
        self.assertIn(f'ETag: "{hashlib.sha256(content).hexdigest()}"', head)
        self.assertIn("attachment", head)
        self.assertEqual(self.http.call("GET", "/api/v1/files/blob.bin", headers=["Range: bytes=200000-"])[0], 416)
        self.assertEqual(self.http.json("GET", "/api/v1/files/nothing.txt")[0], 404)

    def test_edge_data_without_files(self):
        self.http.login("alice", "wonder1and")
        self.assertEqual(self.http.json("GET", "/api/v1/edge-data"), (200, {"files": []}))
        self.assertEqual(self.http.json("POST", "/api/v1/edge-data/7/scs", {"op": "SUM"})[0], 404)
        self.assertEqual(self.http.json("POST", "/api/v1/edge-data/7/scs", {"op": "NOPE"})[0], 400)
        self.assertEqual(self.http.json("DELETE", "/api/v1/edge-data/7")[0], 404)

    def test_edge_data_uploaded_by_the_terminal(self):
        alice = self.terminal("alice")
        alice.command("EDG 3 1000", r"Data generation done")
        alice.command("UED 3", r"file 3 uploaded: 1000 values")
        with open(os.path.join(alice.cwd, "alice-3.txt")) as f:
            values = [int(line) for line in f if line.strip()]
        self.assertEqual(alice.finish(), 0)
        wait_until(lambda: self.http.login("alice", "wonder1and")[0] == 200, what="alice's logout")
        status, listing = self.http.json("GET", "/api/v1/edge-data")
        [entry] = listing["files"]
        self.assertEqual((entry["id"], entry["values"], entry["stats"]["sum"]), (3, 1000, sum(values)))
        self.assertEqual(self.http.json("POST", "/api/v1/edge-data/3/scs", {"op": "MAX"}),
                         (200, {"op": "MAX", "result": max(values)}))
        status, histogram = self.http.json("GET", "/api/v1/edge-data/3/histogram?bins=10")
        self.assertEqual((histogram["min"], histogram["max"], len(histogram["bins"])), (min(values), max(values), 10))
        self.assertEqual(sum(b["count"] for b in histogram["bins"]), 1000)
        self.assertEqual(self.http.json("GET", "/api/v1/edge-data/3/histogram?bins=201")[0], 400)
        self.assertEqual(self.http.json("DELETE", "/api/v1/edge-data/3")[0], 200)
        self.assertEqual(self.http.json("GET", "/api/v1/edge-data"), (200, {"files": []}))

    def test_admin_routes_need_the_role(self):
        self.http.login("alice", "wonder1and")
        self.assertEqual(self.http.json("GET", "/api/v1/admin/accounts")[0], 403)
        self.http.call("POST", "/api/v1/logout")
        self.make_admin("alice")
        admin = Http(self.server)
        self.assertTrue(admin.login("alice", "wonder1and")[2]["admin"])
        status, accounts = admin.json("GET", "/api/v1/admin/accounts")
        self.assertIn({"name": "alice", "admin": True, "locked": False, "online": True}, accounts["accounts"])
        self.assertEqual(admin.json("GET", "/api/v1/admin/status")[0], 200)
        self.assertEqual(admin.json("GET", "/api/v1/admin/limits")[0], 200)
        self.assertEqual(admin.json("POST", "/api/v1/admin/accounts/bob/unlock")[0], 200)

    def test_bad_input_changes_nothing(self):
        status, _, answer = self.http.login("alice", "nope")
        self.assertEqual((status, answer["code"]), (401, "unauthorized"))
        self.assertEqual(self.http.login("nobody", "nope")[2], answer)
        status, _, _ = self.http.call("POST", "/api/v1/login", headers=["Content-Type: text/plain"])
        self.assertIn(status, (400, 415))
        self.http.login("alice", "wonder1and")
        for body, code in (("{", "invalid_json"), ("[1]", "invalid_json"), ("[" * 100 + "]" * 100, "invalid_json"),
                           ('{"to":"bob","text":7}', "invalid_field"), ('{"to":"a b","text":"x"}', "bad_request"),
                           ('{"to":"bob","text":"x\\nOUT"}', "bad_request")):
            status, answer = self.http.json("POST", "/api/v1/messages", body)
            self.assertEqual((status, answer["code"]), (400, code), body)
        self.assertEqual(self.http.json("POST", "/api/v1/broadcast", {"text": "x"}, csrf=False)[0], 403)
        self.assertEqual(self.http.json("POST", "/api/v1/broadcast", {"text": "x"}, csrf=False,
                                        headers=["X-CSRF-Token: " + "0" * 64])[0], 403)
        self.assertEqual(self.http.json("GET", "/api/v1/devices", cookie="f" * 64)[0], 401)
        cookie = self.http.cookie
        self.http.call("POST", "/api/v1/logout")
        self.assertEqual(self.http.json("GET", "/api/v1/session", cookie=cookie)[0], 401)


if __name__ == "__main__":
    unittest.main()
