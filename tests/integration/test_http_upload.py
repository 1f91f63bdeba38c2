"""HTTP uploads against a real edgehubd (docs/HTTP_API.md#streamed-uploads):
PUT /api/v1/files/NAME is the terminal's `put` and PUT /api/v1/edge-data/ID
is `UED`, with the same refusals (code and text) given from the headers
before a byte of the body is read, the same atomic publish, nothing left
behind by a client that goes away, and constant memory for a body of any
size."""
import glob
import hashlib
import os
import socket
import subprocess
import tempfile

from disk_harness import small_disk
from harness import DEFAULT_TIMEOUT, Client, HubTestCase, Server, wait_until
from test_http_api import Http

MiB = 1 << 20


def stored(directory):
    """The repository's visible names (not .meta, the hash sidecars)."""
    return sorted(n for n in os.listdir(directory) if not n.startswith(".")) if os.path.isdir(directory) else []


def leftovers(directory):
    """Upload temporaries: the repository's and an edge-data device's."""
    return glob.glob(os.path.join(directory, ".upload-*"))


class RawPut:
    """A PUT written by hand on a socket: headers alone, then as much of the
    body as a test wants, so it can show what the server answers before the
    body and what a client that goes away leaves behind."""

    def __init__(self, http, path, length, extra=()):
        port = int(http.base.rsplit(":", 1)[1])
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEFAULT_TIMEOUT)
        lines = [f"PUT {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {length}",
                 f"Cookie: edgehub_session={http.cookie}", f"X-CSRF-Token: {http.csrf}", *extra]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

    def answer(self):
        """Status and body of the answer the server sent (it may close)."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), b"0"))
        while len(body) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return int(head.split(b" ")[1]), body.decode()

    def close(self):
        self.sock.close()


class HttpUploadCase(HubTestCase):
    server_args = ()

    def setUp(self):
        self.server = Server(*self.server_args, http=True)
        self.addCleanup(self.server.stop)
        self.http = Http(self.server)
        self.assertEqual(self.http.login("alice", "wonder1and")[0], 200)
        self.repo = self.server.path("files")
        self.work = tempfile.mkdtemp(dir=self.server.root)

    def local(self, name, data):
        path = os.path.join(self.work, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def put(self, path, local, headers=(), csrf=True, cookie=None):
        """curl -T: the body streamed from the file with its Content-Length."""
        args = ["curl", "-sS", "--path-as-is", "--max-time", str(DEFAULT_TIMEOUT * 3), "-w", "\n%{http_code}", "-T", local,
                self.http.base + path]
        if cookie is not False and (cookie or self.http.cookie):
            args += ["-H", f"Cookie: edgehub_session={cookie or self.http.cookie}"]
        if csrf:
            args += ["-H", f"X-CSRF-Token: {self.http.csrf}"]
        for h in headers:
            args += ["-H", h]
        out = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             timeout=DEFAULT_TIMEOUT * 4).stdout
        body, _, status = out.rpartition("\n")
        return int(status), body

    def refused_before_the_body(self, path, length, status, message_pattern, extra=()):
        """The answer comes for the headers alone: no byte of the body sent."""
        raw = RawPut(self.http, path, length, extra)
        self.addCleanup(raw.close)
        got, body = raw.answer()
        self.assertEqual(got, status, body)
        self.assertRegex(body, message_pattern)
        return body


class FileUploads(HttpUploadCase):
    server_args = ("--max-file-size", "8M")

    def test_an_upload_is_published_with_its_size_and_sha256(self):
        data = os.urandom(3 * MiB + 5)
        sha = hashlib.sha256(data).hexdigest()
        status, body = self.put("/api/v1/files/report.bin", self.local("report.bin", data))
        self.assertEqual(status, 201, body)
        self.assertIn(f'"sha256":"{sha}"', body)
        self.assertIn('"name":"report.bin"', body)
        self.assertIn(f'"size":{len(data)}', body)
        with open(os.path.join(self.repo, "report.bin"), "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertEqual(leftovers(self.repo), [])
        # The terminal sees it and gets the same bytes' hash.
        bob = Client(self.server, "bob")
        self.addCleanup(bob.release)
        bob.send("list")
        bob.expect(rf"report\.bin {len(data)}")

    def test_a_declared_sha256_is_checked_like_puts(self):
        data = b"checked\n"
        good = hashlib.sha256(data).hexdigest()
        status, body = self.put("/api/v1/files/a.txt", self.local("a.txt", data), [f"X-Content-SHA256: {good}"])
        self.assertEqual(status, 201, body)
        status, body = self.put("/api/v1/files/b.txt", self.local("b.txt", data), [f"X-Content-SHA256: {'0' * 64}"])
        self.assertEqual(status, 400, body)
        self.assertIn(f"SHA-256 of the data received for 'b.txt' is {good}, not the {'0' * 64} declared; "
                      "upload discarded", body)
        self.assertFalse(os.path.exists(os.path.join(self.repo, "b.txt")))
        self.assertEqual(leftovers(self.repo), [])
        status, body = self.put("/api/v1/files/c.txt", self.local("c.txt", data), ["X-Content-SHA256: nope"])
        self.assertEqual(status, 400, body)

    def test_over_the_limit_is_refused_from_the_headers_with_puts_text(self):
        self.refused_before_the_body("/api/v1/files/huge.bin", 10 ** 12, 413,
                                     r"'huge\.bin' is .*; the largest file the repository accepts is 8388608 bytes "
                                     r"\(8\.0 MiB\) \(edgehubd --max-file-size\)")
        self.assertEqual(stored(self.repo), [])
        self.assertEqual(leftovers(self.repo), [])

    def test_an_existing_name_is_409_unless_replace_is_asked(self):
        self.assertEqual(self.put("/api/v1/files/notes.txt", self.local("n1", b"one"))[0], 201)
        self.refused_before_the_body("/api/v1/files/notes.txt", 3, 409,
                                     r"'notes\.txt' already exists in the repository; use 'put -f PATH' to replace it")
        status, body = self.put("/api/v1/files/notes.txt?replace=1", self.local("n2", b"two"))
        self.assertEqual(status, 201, body)
        with open(os.path.join(self.repo, "notes.txt"), "rb") as f:
            self.assertEqual(f.read(), b"two")

    def test_bad_names_and_traversal_are_400_and_touch_nothing(self):
        before = stored(self.server.data_dir)  # visible names: the server's own logs write hidden temporaries
        self.refused_before_the_body("/api/v1/files/.hidden", 3, 400, r"Refused file name '\.hidden'")
        for path in ("/api/v1/files/..", "/api/v1/files/%2e%2e", "/api/v1/files/%2E%2e", "/api/v1/files/a%00b",
                     "/api/v1/files/..%2fescape", "/api/v1/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd"):
            status, body = self.put(path, self.local("x", b"x"))
            self.assertIn(status, (400, 404), f"{path}: {body}")
        self.assertEqual(stored(self.repo), [])
        self.assertEqual(stored(self.server.data_dir), before)
        self.assertFalse(os.path.exists(os.path.join(self.server.root, "escape")))

    def test_csrf_and_login_are_required(self):
        local = self.local("x", b"x")
        status, body = self.put("/api/v1/files/x", local, csrf=False)
        self.assertEqual(status, 403, body)
        self.assertIn('"code":"csrf"', body)
        status, body = self.put("/api/v1/files/x", local, csrf=False, cookie=False)
        self.assertEqual(status, 401, body)
        status, body = self.put("/api/v1/files/x", local, cookie="0" * 64)
        self.assertEqual(status, 401, body)
        self.assertFalse(os.path.exists(os.path.join(self.repo, "x")))

    def test_a_chunked_body_needs_a_length(self):
        status, body = self.put("/api/v1/files/piped", "-", ["Transfer-Encoding: chunked"])
        self.assertEqual(status, 411, body)

    def test_a_client_that_goes_away_leaves_nothing(self):
        raw = RawPut(self.http, "/api/v1/files/cut.bin", 6 * MiB)
        raw.sock.sendall(os.urandom(2 * MiB))
        wait_until(lambda: leftovers(self.repo), what="the upload's temporary")
        raw.close()
        wait_until(lambda: not leftovers(self.repo), what="the temporary removed")
        self.assertFalse(os.path.exists(os.path.join(self.repo, "cut.bin")))
        # Its reservation is freed too (just after the temporary is removed,
        # on the same worker): a file of the whole limit fits.
        local = self.local("after", os.urandom(8 * MiB))
        wait_until(lambda: self.put("/api/v1/files/after.bin", local)[0] == 201, what="the reservation freed")


class EdgeDataUploads(HttpUploadCase):
    def device_dir(self):
        return self.server.path("uploads", "alice")

    def test_an_upload_is_installed_with_its_statistics(self):
        data = "".join(f"{i}\n" for i in range(1, 101)).encode()
        status, body = self.put("/api/v1/edge-data/7", self.local("values.txt", data))
        self.assertEqual(status, 201, body)
        self.assertIn('"id":7', body)
        self.assertIn('"values":100', body)
        self.assertIn('"sum":5050', body)
        self.assertIn(f'"sha256":"{hashlib.sha256(data).hexdigest()}"', body)
        status, listing = self.http.json("GET", "/api/v1/edge-data")
        self.assertEqual([(f["id"], f["values"]) for f in listing["files"]], [(7, 100)])
        # SCS works on it: the same store.
        self.assertEqual(self.http.json("POST", "/api/v1/edge-data/7/scs", {"op": "MEDIAN"})[1]["result"], 50.5)
        with open(self.server.path("upload-log.txt")) as f:
            self.assertIn("alice", f.read())

    def test_bad_content_is_refused_with_UEDs_text_and_nothing_stored(self):
        status, body = self.put("/api/v1/edge-data/8", self.local("bad.txt", b"1\n2\nthree\n"))
        self.assertEqual(status, 400, body)
        self.assertIn("file 8 refused: line 3:", body)
        self.assertIn("nothing was stored", body)
        self.assertEqual(self.http.json("GET", "/api/v1/edge-data")[1], {"files": []})
        self.assertEqual(leftovers(self.device_dir()), [])

    def test_refusals_from_the_headers(self):
        self.refused_before_the_body("/api/v1/edge-data/7", 17 << 30, 413, r"uploads are limited to 17179869184 bytes")
        self.refused_before_the_body("/api/v1/edge-data/seven", 3, 400, r"FILEID|digits|number")
        status, body = self.put("/api/v1/edge-data/7", self.local("v", b"1\n"), csrf=False)
        self.assertEqual(status, 403, body)
        status, body = self.put("/api/v1/edge-data/7", self.local("v", b"1\n"), csrf=False, cookie=False)
        self.assertEqual(status, 401, body)

    def test_a_client_that_goes_away_leaves_nothing(self):
        raw = RawPut(self.http, "/api/v1/edge-data/9", 4 * MiB)
        raw.sock.sendall(b"1\n" * MiB)
        wait_until(lambda: os.path.isdir(self.device_dir()) and leftovers(self.device_dir()),
                   what="the upload's temporary")
        raw.close()
        wait_until(lambda: not leftovers(self.device_dir()), what="the temporary removed")
        self.assertEqual(self.http.json("GET", "/api/v1/edge-data")[1], {"files": []})


class UploadsOnAFullDisk(HubTestCase):
    def test_a_full_disk_is_507_before_the_body(self):
        disk = small_disk(self, 16)
        server = Server("--keep-free", "0", data_dir=disk.path("data"), http=True)
        self.addCleanup(server.stop)
        http = Http(server)
        self.assertEqual(http.login("alice", "wonder1and")[0], 200)
        size = disk.free_bytes() + MiB
        raw = RawPut(http, "/api/v1/files/big.bin", size)
        self.addCleanup(raw.close)
        status, body = raw.answer()
        self.assertEqual(status, 507, body)
        self.assertIn("Not enough disk space on the server for 'big.bin'", body)
        self.assertEqual(leftovers(server.path("files")), [])


class ConstantMemory(HttpUploadCase):
    """512 MiB generated on the fly and piped to curl (never stored by the
    test): the server's peak RSS grows by far less than the body. curl -T -
    would send a pipe chunked; with the length given and the
    Transfer-Encoding header removed it streams it as one plain body."""
    server_args = ("--max-file-size", "1G")
    BODY = 512 * MiB
    BOUND_KIB = 64 * 1024

    def peak_kib(self):
        with open(f"/proc/{self.server.proc.pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))

    def test_a_512_mib_upload_keeps_the_servers_memory_flat(self):
        before = self.peak_kib()
        generator = subprocess.Popen(["head", "-c", str(self.BODY), "/dev/zero"], stdout=subprocess.PIPE)
        curl = subprocess.run(
            ["curl", "-sS", "--max-time", "600", "-w", "\n%{http_code}", "-T", "-", "-H",
             f"Content-Length: {self.BODY}", "-H", "Transfer-Encoding:", "-H",
             f"Cookie: edgehub_session={self.http.cookie}", "-H",
             f"X-CSRF-Token: {self.http.csrf}", self.http.base + "/api/v1/files/zeros.bin"],
            stdin=generator.stdout, capture_output=True, text=True, timeout=900)
        generator.stdout.close()
        generator.wait()
        self.assertTrue(curl.stdout.endswith("\n201"), curl.stdout + curl.stderr)
        self.assertEqual(os.path.getsize(os.path.join(self.repo, "zeros.bin")), self.BODY)
        grown = self.peak_kib() - before
        self.assertLess(grown, self.BOUND_KIB, f"peak RSS grew by {grown} KiB for a {self.BODY >> 20} MiB body")
