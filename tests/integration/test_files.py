"""File repository (docs/FILES.md): list, get, put through the real binaries;
round trips, replace, limits, protocol details and every way a name could
try to leave the repository.

The helpers at the top are shared by test_files_*.py (functions only, so
importing them does not run these tests twice)."""
import hashlib
import os
import re
import socket
import subprocess
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, raw_login, reply_to, wait_until

MIB = 1024 * 1024
SHA_EMPTY = hashlib.sha256(b"").hexdigest()


def under_asan():
    return bool(os.environ.get("ASAN_OPTIONS"))


def big_file_bytes():
    """Size of the 'large file' tests: 1 GiB, 128 MiB in the sanitizer build,
    or EDGEHUB_BIG_FILE_MB."""
    default_mb = 128 if under_asan() else 1024
    return int(os.environ.get("EDGEHUB_BIG_FILE_MB", default_mb)) * MIB


def make_file(path, size, seed=1):
    """Writes size pseudo-random bytes (fast: a 1 MiB random block varied per
    chunk, so no two chunks are equal) and returns their SHA-256."""
    base = bytearray(hashlib.sha256(str(seed).encode()).digest() * (MIB // 32))
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        written, chunk_no = 0, 0
        while written < size:
            base[0:8] = chunk_no.to_bytes(8, "little")
            chunk = bytes(base[: min(MIB, size - written)])
            f.write(chunk)
            digest.update(chunk)
            written += len(chunk)
            chunk_no += 1
    return digest.hexdigest()


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4 * MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def repo_path(server, *parts):
    return server.path("files", *parts)


def upload_temps(server):
    return [n for n in os.listdir(repo_path(server)) if n.startswith(".upload-")]


def put(client, path, pattern=None, timeout=DEFAULT_TIMEOUT, flags=""):
    name = os.path.basename(path)
    client.send(f"put {path}{flags}")
    return client.expect(pattern or rf"^Stored '{re.escape(name)}': \d+ bytes, SHA-256 verified$", timeout)


def get(client, name, timeout=DEFAULT_TIMEOUT):
    client.send(f"get {name}")
    return client.expect(rf"^Downloaded {re.escape(name)}: (\d+) bytes, SHA-256 verified", timeout)


def read_blocks(conn, timeout=DEFAULT_TIMEOUT):
    """Reads "$N" blocks up to "$0" from a RawConnection; returns the bytes
    and the size of the largest block."""
    conn.sock.settimeout(timeout)
    data, largest = bytearray(), 0
    while True:
        header = conn.line(timeout)
        assert header is not None and header.startswith("$"), header
        n = int(header[1:])
        if n == 0:
            return bytes(data), largest
        largest = max(largest, n)
        while len(conn.buf) < n:
            chunk = conn.sock.recv(max(65536, n - len(conn.buf)))
            assert chunk, "connection closed inside a block"
            conn.buf += chunk
        data += conn.buf[:n]
        conn.buf = conn.buf[n:]


def raw_put(conn, name, data, declared_size=None, declared_sha=None, replace=False):
    """Uploads like a hand-written client; returns (ready reply, final reply)."""
    size = len(data) if declared_size is None else declared_size
    sha = declared_sha or hashlib.sha256(data).hexdigest()
    ready = reply_to(conn, f"put {name} {size} {sha}" + (" replace" if replace else ""))[0]
    if not ready.startswith("+OK"):
        return ready, None
    for i in range(0, len(data), MIB):
        block = data[i:i + MIB]
        conn.send(b"$%d\n" % len(block) + block)
    conn.send(b"$0\n")
    return ready, conn.line()


class FileRoundTrips(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.alice = self.client(self.server, "alice")
        self.bob = self.client(self.server, "bob")

    def test_round_trips_of_0_1_and_1mib_bytes(self):
        for name, size in [("empty.bin", 0), ("one.bin", 1), ("mib.bin", MIB), ("odd.bin", MIB + 17)]:
            with self.subTest(size=size):
                src = os.path.join(self.alice.cwd, name)
                sha = make_file(src, size, seed=size)
                put(self.alice, src)
                self.assertEqual(get(self.bob, name).group(1), str(size))
                self.assertEqual(sha256_of(os.path.join(self.bob.cwd, name)), sha)
        self.bob.send("list")
        for name, size in [("empty.bin", 0), ("mib.bin", MIB), ("odd.bin", MIB + 17), ("one.bin", 1)]:
            self.bob.expect(rf"^{re.escape(name)} {size}$")
        # Nothing but the files: no part or info file left behind.
        self.assertEqual(sorted(os.listdir(self.bob.cwd)), ["empty.bin", "mib.bin", "odd.bin", "one.bin"])
        self.assertEqual(upload_temps(self.server), [])

    def test_list_of_an_empty_repository(self):
        self.alice.command("list", r"^The repository is empty$")

    def test_unknown_name_is_a_clear_error(self):
        self.alice.command("get nosuch.txt", r"^No file named 'nosuch.txt' in the repository \(see 'list'\)$")
        self.assertEqual(os.listdir(self.alice.cwd), [])
        self.alice.command("echo still in step", r"^still in step ACK$")

    def test_existing_name_is_refused_unless_replace(self):
        src = os.path.join(self.alice.cwd, "doc.txt")
        with open(src, "w") as f:
            f.write("first version\n")
        put(self.alice, src)
        with open(src, "w") as f:
            f.write("second, longer version\n")
        put(self.alice, src, r"^'doc.txt' already exists in the repository; use 'put -f PATH' to replace it$")
        with open(repo_path(self.server, "doc.txt")) as f:
            self.assertEqual(f.read(), "first version\n")
        put(self.alice, src, flags=" -f")
        get(self.bob, "doc.txt")
        with open(os.path.join(self.bob.cwd, "doc.txt")) as f:
            self.assertEqual(f.read(), "second, longer version\n")
        put(self.alice, src, flags=" --replace")

    def test_json_mode_reports_progress_and_results(self):
        src = os.path.join(self.alice.cwd, "j.bin")
        make_file(src, 3 * MIB)
        put(self.alice, src)
        carol = self.client(self.server, "carol", json_mode=True)
        carol.send("get j.bin")
        progress = carol.expect_json(lambda o: o.get("type") == "progress")
        self.assertEqual(progress["what"], "get j.bin")
        self.assertEqual(progress["total"], 3 * MIB)
        done = carol.expect_json(lambda o: o.get("type") == "downloaded")
        self.assertIn("SHA-256 verified", done["text"])

    def test_batch_text_mode_draws_no_progress_bar(self):
        src = os.path.join(self.alice.cwd, "quiet.bin")
        make_file(src, 2 * MIB)
        put(self.alice, src)
        get(self.bob, "quiet.bin")
        self.assertEqual(self.bob.finish(), 0)
        self.assertFalse(any("%" in line or "\r" in line for line in self.bob.out.seen), self.bob.out.seen)


class FileLimits(HubTestCase):
    def test_file_and_total_size_limits(self):
        with Server("--max-file-size", "1000", "--max-repo-size", "2500") as server:
            alice = self.client(server, "alice")
            for name, size in [("big", 1001), ("a", 1000), ("b", 1000), ("c", 501), ("d", 500)]:
                make_file(os.path.join(alice.cwd, name), size)
            put(alice, os.path.join(alice.cwd, "big"), r"^'big' is 1001 bytes; the largest file the repository accepts is 1000 bytes \(edgehubd --max-file-size\)$")
            put(alice, os.path.join(alice.cwd, "a"))
            put(alice, os.path.join(alice.cwd, "b"))
            put(alice, os.path.join(alice.cwd, "c"), r"^No room for 'c' \(501 bytes\): the repository holds 2000 bytes and its limit is 2500 bytes \(edgehubd --max-repo-size\)$")
            put(alice, os.path.join(alice.cwd, "d"))
            # Replacing counts the new size instead of the old one.
            put(alice, os.path.join(alice.cwd, "d"), flags=" -f")
            alice.send("list")
            for line in ["a 1000", "b 1000", "d 500"]:
                alice.expect(rf"^{line}$")
            self.assertFalse(os.path.exists(repo_path(server, "big")) or os.path.exists(repo_path(server, "c")))
            self.assertEqual(upload_temps(server), [])

    def test_size_options_take_units(self):
        with Server("--max-file-size", "2KiB") as server:
            alice = self.client(server, "alice")
            make_file(os.path.join(alice.cwd, "f"), 2049)
            put(alice, os.path.join(alice.cwd, "f"), r"largest file the repository accepts is 2048 bytes")


class FileProtocol(HubTestCase):
    """The wire format as a hand-written client sees it (docs/FILES.md)."""

    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.conn = raw_login(self.server, "alice")
        self.addCleanup(self.conn.close)
        self.data = os.urandom(2 * MIB + 5)
        self.sha = hashlib.sha256(self.data).hexdigest()
        ready, stored = raw_put(self.conn, "d.bin", self.data)
        self.assertRegex(ready, r"^\+OK Ready for 2097157 bytes of 'd.bin'")
        self.assertEqual(stored, "+OK Stored 'd.bin': 2097157 bytes, SHA-256 verified")

    def test_get_announces_size_sha_offset_then_blocks(self):
        self.assertEqual(reply_to(self.conn, "get d.bin")[0], f"+OK {len(self.data)} {self.sha} 0 d.bin")
        data, largest = read_blocks(self.conn)
        self.assertEqual(data, self.data)
        self.assertEqual(largest, MIB, "blocks are at most 1 MiB")
        self.assertEqual(reply_to(self.conn, "echo after")[0], "+OK after ACK")

    def test_get_from_an_offset(self):
        self.assertEqual(reply_to(self.conn, "get d.bin 1000")[0], f"+OK {len(self.data)} {self.sha} 1000 d.bin")
        self.assertEqual(read_blocks(self.conn)[0], self.data[1000:])
        self.assertEqual(reply_to(self.conn, f"get d.bin 1000 - {self.sha}")[0], f"+OK {len(self.data)} {self.sha} 1000 d.bin")
        self.assertEqual(read_blocks(self.conn)[0], self.data[1000:])
        # The file the client holds a part of is not this one: from the start.
        other = "0" * 64
        self.assertEqual(reply_to(self.conn, f"get d.bin 1000 - {other}")[0], f"+OK {len(self.data)} {self.sha} 0 d.bin")
        self.assertEqual(read_blocks(self.conn)[0], self.data)
        self.assertEqual(reply_to(self.conn, f"get d.bin {len(self.data)}")[0], f"+OK {len(self.data)} {self.sha} {len(self.data)} d.bin")
        self.assertEqual(read_blocks(self.conn)[0], b"")
        self.assertRegex(reply_to(self.conn, "get d.bin 99999999")[0], r"^-ERR 400 Offset 99999999 is past the end of 'd.bin'")
        for bad in ["get d.bin x", "get d.bin 0 0", "get d.bin 0 x", "get d.bin 0 - nothex"]:
            self.assertRegex(reply_to(self.conn, bad)[0], r"^-ERR 400 Usage: get NAME")

    def test_get_a_window(self):
        # LENGTH caps the bytes sent: clients fetch large files in windows.
        self.assertEqual(reply_to(self.conn, "get d.bin 10 100")[0], f"+OK {len(self.data)} {self.sha} 10 d.bin")
        self.assertEqual(read_blocks(self.conn)[0], self.data[10:110])
        end = len(self.data) - 5
        self.assertEqual(reply_to(self.conn, f"get d.bin {end} {MIB} {self.sha}")[0], f"+OK {len(self.data)} {self.sha} {end} d.bin")
        self.assertEqual(read_blocks(self.conn)[0], self.data[end:])
        # Several requests in a row are answered in order.
        self.conn.send(f"get d.bin 0 {MIB}\nget d.bin {MIB} {MIB}\nget d.bin {2 * MIB} {MIB}\n")
        whole = b""
        for offset in (0, MIB, 2 * MIB):
            self.assertEqual(self.conn.line(), f"+OK {len(self.data)} {self.sha} {offset} d.bin")
            whole += read_blocks(self.conn)[0]
        self.assertEqual(whole, self.data)

    def test_empty_file(self):
        ready, stored = raw_put(self.conn, "empty", b"")
        self.assertEqual(stored, "+OK Stored 'empty': 0 bytes, SHA-256 verified")
        self.assertEqual(reply_to(self.conn, "get empty")[0], f"+OK 0 {SHA_EMPTY} 0 empty")
        self.assertEqual(self.conn.line(), "$0")

    def test_bad_uploads_are_discarded_and_never_visible(self):
        cases = [
            ("short", dict(declared_size=len(self.data) + 1), r"^-ERR 400 Received 2097157 of the 2097158 bytes declared for 'short'; upload discarded$"),
            ("long", dict(declared_size=len(self.data) - 1), r"^-ERR 400 More data than the 2097156 bytes declared for 'long'; upload discarded$"),
            ("badsha", dict(declared_sha="ab" * 32), r"^-ERR 400 SHA-256 of the data received for 'badsha' is [0-9a-f]{64}, not the (ab){32} declared; upload discarded$"),
        ]
        for name, kwargs, pattern in cases:
            with self.subTest(name=name):
                ready, final = raw_put(self.conn, name, self.data, **kwargs)
                self.assertTrue(ready.startswith("+OK Ready"), ready)
                self.assertRegex(final, pattern)
                self.assertFalse(os.path.exists(repo_path(self.server, name)))
        self.assertEqual(reply_to(self.conn, "list"), ["*1 1 file, 2097157 bytes", "d.bin 2097157"])
        wait_until(lambda: upload_temps(self.server) == [], what="temporaries removed")

    def test_malformed_put_lines(self):
        for line in ["put x", "put x 12", "put x abc " + "0" * 64, "put x 12 nothex", "put x 12 " + "0" * 64 + " overwrite"]:
            with self.subTest(line=line):
                self.assertRegex(reply_to(self.conn, line)[0], r"^-ERR 400 Usage: put")
        self.assertRegex(reply_to(self.conn, "$2\nab")[0], r"^-ERR 400 Unexpected data block: no upload in progress")

    def test_file_commands_need_a_login(self):
        conn = self.raw(self.server)
        conn.expect(r"^\+OK EDGEHUB")
        for line in ["list", "get d.bin", f"put x 1 {SHA_EMPTY}"]:
            self.assertRegex(reply_to(conn, line)[0], r"^-ERR 403 Please log in first")


class BadNames(HubTestCase):
    """A name can never reach outside the repository (docs/FILES.md#names).
    Each refusal is a clear error and a warning in the server log."""

    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.conn = raw_login(self.server, "alice")
        self.addCleanup(self.conn.close)
        self.outside = os.path.join(self.server.root, "secret.txt")
        with open(self.outside, "w") as f:
            f.write("outside the repository\n")
        self.assertTrue(raw_put(self.conn, "inside.txt", b"inside\n")[1].startswith("+OK Stored"))

    def assert_refused(self, name, pattern, code="400", command="get"):
        line = f"{command} {name}" if command == "get" else f"put {name} 1 {SHA_EMPTY}"
        reply = reply_to(self.conn, line)[0]
        self.assertRegex(reply, rf"^-ERR {code} {pattern}")
        shown = name[:120].replace("\\", "\\x5c")
        wait_until(lambda: re.search(rf"\[warning\] security: event=path_refused addr=127\.0\.0\.1 user=alice "
                                     rf"detail={command} '{re.escape(shown)}.*': ", self.server.log()),
                   what=f"a logged warning for {name!r}")

    def test_path_names_are_refused_and_logged(self):
        cases = [
            ("../secret.txt", r"Refused file name '\.\./secret\.txt': the file name contains '/'"),
            ("../../../../etc/passwd", r"Refused file name .*contains '/'"),
            ("/etc/passwd", r"Refused file name '/etc/passwd': the file name contains '/'"),
            ("sub/../inside.txt", r"Refused file name .*contains '/'"),
            ("..", r"Refused file name '\.\.': file names starting with '\.' are reserved"),
            (".", r"Refused file name '\.': file names starting with '\.' are reserved"),
            (".meta", r"Refused file name '\.meta': file names starting"),
            (".hidden", r"Refused file name '\.hidden': file names starting"),
            ("..\\secret.txt", r"Refused file name .*starting with '\.'"),
            ("a\\b", r"Refused file name 'a\\x5cb': the file name contains '\\'"),
            ("x" * 256, r"Refused file name 'x+\.\.\.\(256 bytes\)': the file name is 256 bytes long; at most 255 are allowed"),
        ]
        for name, pattern in cases:
            for command in ("get", "put"):
                with self.subTest(name=name[:40], command=command):
                    self.assert_refused(name, pattern, command=command)
        self.assertFalse(os.path.exists(os.path.join(self.server.root, "1")))
        self.assertEqual(sorted(os.listdir(repo_path(self.server))), [".meta", "inside.txt"])

    def test_a_255_byte_name_is_fine(self):
        name = "n" * 255
        self.assertTrue(raw_put(self.conn, name, b"long name\n")[1].startswith("+OK Stored"))
        self.assertTrue(reply_to(self.conn, f"get {name}")[0].startswith("+OK 10 "))
        self.assertEqual(read_blocks(self.conn)[0], b"long name\n")

    def test_nul_and_control_bytes_never_reach_a_command(self):
        # A NUL cannot be part of a line: the frame decoder refuses the line
        # before any command sees it, and the connection stays usable.
        for raw in [b"get secret\x00.txt\n", b"get ../secret.txt\x00\n", b"get in\x01side.txt\n"]:
            with self.subTest(raw=raw):
                self.conn.send(raw)
                self.assertRegex(self.conn.line(), r"^-ERR 400 ")
        self.assertEqual(reply_to(self.conn, "echo ok")[0], "+OK ok ACK")

    def test_links_and_special_files_in_the_repository_are_refused(self):
        repo = repo_path(self.server)
        os.symlink(self.outside, os.path.join(repo, "link-out"))
        os.symlink("inside.txt", os.path.join(repo, "link-in"))
        os.link(self.outside, os.path.join(repo, "hard-out"))
        os.mkdir(os.path.join(repo, "adir"))
        os.mkfifo(os.path.join(repo, "fifo"))
        self.assert_refused("link-out", r"'link-out' is a symbolic link; the repository serves only regular files", "403")
        self.assert_refused("link-in", r"'link-in' is a symbolic link", "403")
        self.assert_refused("hard-out", r"'hard-out' has 2 hard links; the repository serves only files it alone holds", "403")
        self.assert_refused("adir", r"'adir' is not a regular file", "403")
        self.assert_refused("fifo", r"'fifo' is not a regular file", "403")
        # put never writes through a link, even with replace.
        self.assertRegex(reply_to(self.conn, f"put link-out 1 {SHA_EMPTY} replace")[0],
                         r"^-ERR 403 'link-out' exists in the repository and is not a regular file")
        with open(self.outside) as f:
            self.assertEqual(f.read(), "outside the repository\n")
        # list shows only what get would serve.
        self.assertEqual(reply_to(self.conn, "list"), ["*1 1 file, 7 bytes", "inside.txt 7"])

    def test_the_client_refuses_to_write_outside_its_directory(self):
        alice = self.client(self.server, "bob")
        parent = os.path.dirname(alice.cwd)
        before = sorted(os.listdir(parent))
        alice.command("get ../secret.txt", r"^Refused file name '\.\./secret\.txt': the file name contains '/'")
        alice.command("get .hidden", r"^Refused file name '\.hidden'")
        self.assertEqual(sorted(os.listdir(parent)), before)
        self.assertEqual(os.listdir(alice.cwd), [])
        hidden = os.path.join(alice.cwd, ".profile")
        with open(hidden, "w") as f:
            f.write("x")
        alice.command(f"put {hidden}", r"^Refused file name '\.profile': file names starting with '\.' are reserved")


if __name__ == "__main__":
    unittest.main()
