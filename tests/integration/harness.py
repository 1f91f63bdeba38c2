"""Test harness: starts the real edgehubd on a free port with a temporary
data directory and drives real edgehub clients (batch mode) or raw sockets.

Everything waits on events (a line of output, a process exit) with a
timeout; nothing sleeps to synchronise. Binaries come from EDGEHUB_BIN_DIR
(set by CTest); run by hand with EDGEHUB_BIN_DIR=build/src/app.
"""
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from client_home import pin_server, server_fingerprint  # sets the clients' HOME first
from ports import free_port, free_udp_port, with_http_port  # noqa: F401 (tests import free_udp_port here)
from postgres_database import database_args
from thread_stacks import wait_or_kill

BIN_DIR = os.path.abspath(os.environ.get("EDGEHUB_BIN_DIR", os.path.join(os.path.dirname(__file__), "../../build/src/app")))
BUILD_DIR = os.path.abspath(os.path.join(BIN_DIR, "..", ".."))
EDGEHUBD = os.path.join(BIN_DIR, "edgehubd")
EDGEHUB = os.path.join(BIN_DIR, "edgehub")
BENCH_DIR = os.path.join(BUILD_DIR, "bench")
DEFAULT_TIMEOUT = float(os.environ.get("EDGEHUB_TEST_TIMEOUT", "20"))

DEFAULT_CREDENTIALS = {
    "alice": "wonder1and",
    "bob": "bu1lder",
    "carol": "c4rol#pw",
    "dave": "d@ve-pass",
    "erin": "er1n",
    "frank": "fr4nk",
}


class LineReader:
    """Collects a stream's lines on a thread so tests can wait for them."""

    def __init__(self, stream):
        self.lines = queue.Queue()
        self.seen = []
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream):
        for raw in iter(stream.readline, b""):
            self.lines.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
        self.lines.put(None)  # end of stream

    def expect(self, pattern, timeout=DEFAULT_TIMEOUT, what="output"):
        """Returns the first new line matching the regex; fails on timeout/EOF."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.01, remaining))
            except queue.Empty:
                line = None
                if remaining > 0:
                    continue
                raise AssertionError(f"timed out waiting for /{pattern}/ in {what}; saw: {self.seen[-20:]}")
            if line is None:
                self.lines.put(None)
                raise AssertionError(f"{what} ended before /{pattern}/; saw: {self.seen[-20:]}")
            self.seen.append(line)
            m = regex.search(line)
            if m:
                return m

    def drain(self):
        """Lines already received and not yet consumed."""
        out = []
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return out
            if line is None:
                self.lines.put(None)
                return out
            self.seen.append(line)
            out.append(line)


class Server:
    """A real edgehubd. Use as a context manager."""

    def __init__(self, *extra_args, credentials=None, data_dir=None, cheap_hashes=True, env=None, http=False):
        self.root = tempfile.mkdtemp(prefix="edgehub-it-")
        self.data_dir = data_dir or os.path.join(self.root, "data")
        self.credentials = credentials if credentials is not None else dict(DEFAULT_CREDENTIALS)
        self.credentials_path = os.path.join(self.root, "credentials.txt")
        with open(self.credentials_path, "w") as f:
            for name, pw in self.credentials.items():
                f.write(f"{name} {pw}\n")
        self.http_port = free_port() if http else None  # HTTP only when asked for: ports.py
        self.extra_args = with_http_port(extra_args, self.http_port)
        # Tests use a cheap argon2 cost so that many logins stay fast; the
        # default cost is exercised by the benchmark.
        self.cost_args = ["--argon2-ops", "1", "--argon2-mem-kib", "64"] if cheap_hashes else []
        self.env = env
        self.proc = None
        self.port = None
        self.start()

    def start(self):
        self.stderr_path = os.path.join(self.root, "edgehubd.log")
        self._stderr = open(self.stderr_path, "ab")
        database = [] if "--database" in self.extra_args else database_args(self.data_dir)  # a test's own stays
        cmd = [EDGEHUBD, "--port", "0", "--data-dir", self.data_dir, "--credentials", self.credentials_path,
               *database, *self.cost_args, *self.extra_args]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr,
                                     env=self.env)
        self.out = LineReader(self.proc.stdout)
        m = self.out.expect(r"listening on [^:]+:(\d+)", what="edgehubd stdout")
        self.port = int(m.group(1))
        self.fingerprint = pin_server(self.port, server_fingerprint(self.log(), self.data_dir, self.extra_args))

    def path(self, *parts):
        return os.path.join(self.data_dir, *parts)

    def log(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=DEFAULT_TIMEOUT):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            wait_or_kill(self.proc, timeout, f"edgehubd did not stop within {timeout} s of signal {sig}")
        self._stderr.close()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.check_log_for_reports()
        return self.proc.returncode

    # A sanitizer report or a failed thread check (src/common/thread_check.hpp)
    # fails the test even when it came after the test's last assertion, e.g.
    # during shutdown.
    REPORT_MARKERS = ("WARNING: ThreadSanitizer", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                      "runtime error:", "thread check failed")

    def check_log_for_reports(self):
        log = self.log()
        for marker in self.REPORT_MARKERS:
            at = log.find(marker)
            if at >= 0:
                excerpt = log[max(0, at - 200):at + 4000]
                raise AssertionError(f"edgehubd reported '{marker}' (log {self.stderr_path}):\n{excerpt}")

    def kill9(self):
        return self.stop(signal.SIGKILL)

    def restart(self):
        self.stop()
        self.start()

    def client(self, *args, **kwargs):
        return Client(self, *args, **kwargs)

    def raw(self, silent=False):
        return RawConnection(self.port, silent=silent)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        if exc[0] is None and not os.environ.get("EDGEHUB_KEEP_TMP"):
            shutil.rmtree(self.root, ignore_errors=True)


class Client:
    """A real edgehub client in batch mode (stdin is a pipe)."""

    def __init__(self, server, user=None, password=None, udp_port=None, json_mode=False, cwd=None,
                 extra_args=(), env=None, login=True):
        self.server = server
        self.user = user
        self.json = json_mode
        self.cwd = cwd or tempfile.mkdtemp(prefix=f"client-{user or 'anon'}-", dir=server.root)
        cmd = [EDGEHUB, *extra_args]
        if json_mode:
            cmd.append("--json")
        cmd += ["127.0.0.1", str(server.port)]
        if udp_port is not None:
            cmd.append(str(udp_port))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     cwd=self.cwd, env=env)
        self.out = LineReader(self.proc.stdout)
        if user is not None and login:
            pw = password if password is not None else server.credentials[user]
            self.send(user)
            self.send(pw)
            if password is None:
                self.expect(r"Welcome to edgehub, " + re.escape(user))

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def expect(self, pattern, timeout=DEFAULT_TIMEOUT):
        return self.out.expect(pattern, timeout, what=f"client {self.user}")

    def expect_json(self, predicate, timeout=DEFAULT_TIMEOUT):
        """Next JSON object for which predicate(obj) is true."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.expect(r"^\{", timeout=max(0.01, deadline - time.monotonic()))
            obj = json.loads(m.string)
            if predicate(obj):
                return obj

    def command(self, line, reply_pattern, timeout=DEFAULT_TIMEOUT):
        self.send(line)
        return self.expect(reply_pattern, timeout)

    def finish(self, timeout=DEFAULT_TIMEOUT):
        """Closes stdin (the client logs out) and returns its exit status."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        return self.proc.wait(timeout=timeout)

    def wait(self, timeout=DEFAULT_TIMEOUT):
        return self.proc.wait(timeout=timeout)

    def kill9(self):
        self.proc.kill()
        self.proc.wait()

    def stop_signal(self, sig):
        self.proc.send_signal(sig)

    def release(self):
        """Cleanup, pass or fail: kills the client (woken first if a test froze it
        with SIGSTOP, so no stopped process is left) and closes its pipes."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
        self.proc.wait()
        self.out._thread.join(DEFAULT_TIMEOUT)  # it reads stdout until EOF
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except (BrokenPipeError, OSError):
                pass


class RawConnection:
    """A plain TCP connection, as with nc. It sends an empty line at once (no reply), so the server need not
    wait 250 ms of silence for a TLS ClientHello (src/net/first_byte.cpp); silent=True stays quiet."""

    def __init__(self, port, timeout=DEFAULT_TIMEOUT, host="127.0.0.1", silent=False):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        if not silent:
            self.sock.sendall(b"\n")

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def line(self, timeout=DEFAULT_TIMEOUT):
        """Next line (without newline); None if the server closed."""
        self.sock.settimeout(timeout)
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def expect(self, pattern, timeout=DEFAULT_TIMEOUT):
        regex = re.compile(pattern)
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            line = self.line(max(0.01, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"connection closed before /{pattern}/; saw {seen}")
            seen.append(line)
            if regex.search(line):
                return line

    def closed_by_server(self, timeout=DEFAULT_TIMEOUT):
        """True once the server closes (reading and discarding what comes)."""
        self.sock.settimeout(timeout)
        try:
            while self.sock.recv(65536):
                pass
            return True
        except (ConnectionResetError, BrokenPipeError):
            return True

    def close(self):
        self.sock.close()


def wait_until(predicate, timeout=DEFAULT_TIMEOUT, what="condition"):
    """Polls a cheap condition (file content, process state) until true.
    For state that offers no event to wait on, such as a file on disk."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


# --- helpers for the hub-core tests (issue 2) ---

def raw_login(server, name, password=None, udp_port=None):
    """A RawConnection logged in as name, as a person with nc would do it.
    The greeting, the +OK welcome and the !TOKEN event are consumed; the
    connection's `token` attribute holds the resume token."""
    conn = server.raw()
    conn.expect(r"^\+OK EDGEHUB/\d+ ")
    pw = password if password is not None else server.credentials[name]
    conn.send(f"login {name} {pw}" + (f" {udp_port}" if udp_port is not None else "") + "\n")
    conn.expect(r"^\+OK Welcome to edgehub, " + re.escape(name))
    conn.token = conn.expect(r"^!TOKEN ").split(" ", 1)[1]
    return conn


def reply_to(conn, line, timeout=DEFAULT_TIMEOUT):
    """Sends a command on a RawConnection and returns its reply: the status
    line, plus the listed lines for "*N" (events in between are skipped)."""
    conn.send(line + "\n")
    while True:
        status = conn.line(timeout)
        if status is None:
            raise AssertionError(f"connection closed before the reply to {line!r}")
        if not status.startswith("!"):
            break
    if not status.startswith("*"):
        return [status]
    count = int(status.split(" ", 1)[0][1:])
    return [status] + [conn.line(timeout) for _ in range(count)]


def run_edgehubd(*args, timeout=DEFAULT_TIMEOUT, env=None):
    """Runs edgehubd to completion (for option errors, --help); returns
    (exit status, stdout, stderr). A server that starts serving instead of
    exiting is killed and reported as status None."""
    root = tempfile.mkdtemp(prefix="edgehub-opts-")
    args = with_http_port(args, 0) if args and args[0].startswith("-") else args
    try:
        proc = subprocess.run([EDGEHUBD, *args], cwd=root, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, env=env)
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return None, out, (e.stderr or b"").decode("utf-8", "replace")
    finally:
        shutil.rmtree(root, ignore_errors=True)


import unittest  # noqa: E402  (only the helpers below need it)


class HubTestCase(unittest.TestCase):
    """A TestCase whose raw connections and clients are closed or killed when
    the test ends, pass or fail, so no socket or process outlives it."""

    def raw(self, server, silent=False):
        conn = server.raw(silent=silent)
        self.addCleanup(conn.close)
        return conn

    def raw_login(self, server, name, **kwargs):
        conn = raw_login(server, name, **kwargs)
        self.addCleanup(conn.close)
        return conn

    def client(self, server, *args, **kwargs):
        c = server.client(*args, **kwargs)
        self.addCleanup(c.release)
        return c
