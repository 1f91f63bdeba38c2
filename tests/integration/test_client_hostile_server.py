"""The real client's downloads against a server that breaks the protocol:
too much data, a wrong SHA-256, a connection dropped inside a block, a
block nobody asked for. The client must say what went wrong, never give
the file its final name unverified, keep a resumable part where it can,
and stay in step for the next command."""
import hashlib
import os
import socket
import subprocess
import tempfile
import threading
import unittest

from harness import DEFAULT_TIMEOUT, EDGEHUB

GREETING = b"+OK EDGEHUB/1 login Welcome to a hostile server\n"


class ScriptedServer:
    """Accepts one client, logs it in (login_answer), answers `get` with
    the bytes given (or closes the connection after them when
    close_after_get) and every other line with other_answer(line), a plain
    +OK unless given."""

    def __init__(self, get_answer, close_after_get=False, login_answer=b"+OK Welcome to edgehub, bench!\n",
                 other_answer=lambda line: f"+OK answered {line}\n".encode()):
        self.get_answer = get_answer
        self.close_after_get = close_after_get
        self.login_answer = login_answer
        self.other_answer = other_answer
        self.lines = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.listener.accept()
        with conn, conn.makefile("rb") as reader:
            conn.sendall(GREETING)
            for raw in reader:
                line = raw.decode().rstrip("\n")
                self.lines.append(line)
                verb = line.split(" ", 1)[0]
                if verb == "login":
                    conn.sendall(self.login_answer)
                elif verb == "get":
                    conn.sendall(self.get_answer)
                    if self.close_after_get:
                        return
                elif verb == "OUT":
                    conn.sendall(b"+OK Bye, bench!\n")
                    return
                else:
                    conn.sendall(self.other_answer(line))

    def close(self):
        self.listener.close()
        self.thread.join(DEFAULT_TIMEOUT)


def announce(size, data_for_sha, name="f.bin", offset=0):
    return f"+OK {size} {hashlib.sha256(data_for_sha).hexdigest()} {offset} {name}\n".encode()


def block(data):
    return b"$%d\n" % len(data) + data


class HostileServer(unittest.TestCase):
    def fetch(self, answer, close_after_get=False, then="echo still in step"):
        """Runs `get f.bin` (and one more command) against a scripted server;
        returns (exit code, output lines, files left in the directory)."""
        server = ScriptedServer(answer, close_after_get)
        self.addCleanup(server.close)
        cwd = tempfile.mkdtemp(prefix="edgehub-hostile-")
        env = dict(os.environ, EDGEHUB_PASSWORD="pw")
        stdin = "get f.bin\n" + (then + "\n" if then else "")
        proc = subprocess.run([EDGEHUB, "--plain", "--user", "bench", "127.0.0.1", str(server.port)], input=stdin.encode(),
                              cwd=cwd, env=env, capture_output=True, timeout=DEFAULT_TIMEOUT)
        output = (proc.stdout + proc.stderr).decode(errors="replace").splitlines()
        files = {}
        for name in os.listdir(cwd):
            with open(os.path.join(cwd, name), "rb") as f:
                files[name] = f.read()
        return proc.returncode, output, files

    def test_a_good_download_for_reference(self):
        data = os.urandom(3 * 1024 * 1024 + 17)
        blocks = b"".join(block(data[i : i + (1 << 20)]) for i in range(0, len(data), 1 << 20))  # at most 1 MiB each
        answer = announce(len(data), data) + blocks + b"$0\n"
        code, output, files = self.fetch(answer)
        self.assertIn(f"Downloaded f.bin: {len(data)} bytes, SHA-256 verified", output)
        self.assertIn("answered echo still in step", output)
        self.assertEqual(files.get("f.bin"), data)
        self.assertEqual(code, 0)

    def test_more_data_than_announced_is_refused(self):
        data = b"0123456789"
        answer = announce(10, data) + block(data + b"EXTRA BYTES") + b"$0\n"
        code, output, files = self.fetch(answer)
        self.assertIn("get f.bin: the server sent too much instead of the announced data", output)
        self.assertIn("answered echo still in step", output)  # the next reply is the next command's
        self.assertNotIn("f.bin", files)

    def test_less_data_than_announced_is_refused(self):
        data = b"0123456789"
        answer = announce(10, data) + block(data[:4]) + b"$0\n"
        code, output, files = self.fetch(answer)
        self.assertIn("get f.bin: the server sent too little instead of the announced data", output)
        self.assertIn("answered echo still in step", output)
        self.assertNotIn("f.bin", files)

    def test_a_wrong_sha256_discards_the_data(self):
        data = os.urandom(100_000)
        answer = announce(len(data), b"something else") + block(data) + b"$0\n"
        code, output, files = self.fetch(answer)
        self.assertTrue(any("does not match its SHA-256" in line for line in output), output)
        self.assertIn("answered echo still in step", output)
        self.assertEqual(sorted(files), [], "neither the file nor a part may be left")

    def test_a_connection_dropped_inside_a_block_leaves_a_resumable_part(self):
        data = os.urandom(2 * 1024 * 1024)
        half = data[: 1 << 20]
        # One whole block, then the header of the second and a little of it.
        answer = announce(len(data), data) + block(half) + b"$%d\n" % (1 << 20) + data[1 << 20 : (1 << 20) + 1000]
        code, output, files = self.fetch(answer, close_after_get=True, then=None)
        self.assertTrue(any(line.startswith("Connection to the server lost after ") and "run 'get f.bin' again to resume" in line
                            for line in output), output)
        self.assertNotIn("f.bin", files)
        part = files[".f.bin.part"]
        self.assertGreater(len(part), 0)
        self.assertEqual(part, data[: len(part)], "the part holds a prefix of the file, nothing else")
        self.assertNotEqual(code, 0)

    def test_a_block_nobody_asked_for_after_the_download_is_harmless(self):
        data = b"hello"
        answer = announce(5, data) + block(data) + b"$0\n" + block(b"stray bytes") + b"$0\n"
        code, output, files = self.fetch(answer, then=None)
        self.assertIn("Downloaded f.bin: 5 bytes, SHA-256 verified", output)
        self.assertEqual(files.get("f.bin"), b"hello")


if __name__ == "__main__":
    unittest.main()
