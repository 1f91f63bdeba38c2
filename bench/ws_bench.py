#!/usr/bin/env python3
"""Browser sessions on edgehubd's events WebSocket (docs/BENCHMARKS.md#web-console-sessions).

Two measures, each against a fresh edgehubd (--no-presence, cheap argon2id
accounts web1..webN from a credentials file), RUNS times, alternating:

  idle:   SESSIONS browser sessions log in (POST /api/v1/login) and hold
          GET /api/v1/events open (bench/ws_events); the server's RSS with
          them all open minus its RSS before, divided by SESSIONS.
  fanout: FANOUT sessions hold their WebSocket; a terminal client (the
          device protocol) sends EVENTS broadcasts "bench-<CLOCK_MONOTONIC
          ns>", one every INTERVAL_MS; each socket records when each arrives.
          p50 / p99 / max of every (event, socket) delivery latency.

Usage: EDGEHUB_BIN_DIR=BUILD/src/app BENCH_BIN_DIR=BUILD/bench python3 bench/ws_bench.py
Env: SESSIONS (10000), FANOUT (1000), EVENTS (200), INTERVAL_MS (50),
     RUNS (3), PROCESSES (4: client processes, each from its own 127.0.0.x),
     ANCHOR (1: the idle load on libwebsockets-test-server too, after each
     edgehubd run: bare WebSockets of lws-mirror-protocol, no login).
"""
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from ports import free_port  # noqa: E402

BIN = os.environ.get("EDGEHUB_BIN_DIR", "build/src/app")
BENCH_BIN = os.environ.get("BENCH_BIN_DIR", "build/bench")
SESSIONS = int(os.environ.get("SESSIONS", "10000"))
FANOUT = int(os.environ.get("FANOUT", "1000"))
EVENTS = int(os.environ.get("EVENTS", "200"))
INTERVAL_MS = float(os.environ.get("INTERVAL_MS", "50"))
RUNS = int(os.environ.get("RUNS", "3"))
PROCESSES = int(os.environ.get("PROCESSES", "4"))
ANCHOR = os.environ.get("ANCHOR", "1") == "1"
PASSWORD = "bench-password"


def machine():
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = re.search(r"^Model name:\s*(.*)$", lscpu, re.M)
    flags = re.search(r"^Flags:\s*(.*)$", lscpu, re.M)
    wanted = ("avx2", "avx512f", "aes", "sha_ni", "pclmulqdq")
    shown = [f for f in (flags.group(1).split() if flags else []) if f in wanted]
    return (f"{os.cpu_count()} cores, {model.group(1) if model else '?'} ({' '.join(shown)}), "
            f"load {' '.join(open('/proc/loadavg').read().split()[:3])}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")


class Server:
    """A fresh edgehubd with accounts web1..webN and trigger, HTTP on."""

    def __init__(self, work, name, accounts):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir)
        creds = os.path.join(self.dir, "credentials.txt")
        with open(creds, "w") as f:
            f.write(f"trigger {PASSWORD}\n")
            for n in range(1, accounts + 1):
                f.write(f"web{n} {PASSWORD}\n")
        self.http_port = free_port()
        self.out = open(os.path.join(self.dir, "out"), "w+")
        self.err = open(os.path.join(self.dir, "err"), "w+")
        self.proc = subprocess.Popen(
            [f"{BIN}/edgehubd", "--port", "0", "--http-port", str(self.http_port), "--data-dir",
             os.path.join(self.dir, "data"), "--credentials", creds, "--argon2-ops", "1", "--argon2-mem-kib", "64",
             "--no-presence", "--log-level", "warn"], stdout=self.out, stderr=self.err)
        self.port = self._wait_listening()

    def _wait_listening(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = open(self.out.name).read()
            device = re.search(r"^edgehubd listening on [0-9.]+:(\d+)", text, re.M)
            if device and "http listening on" in text:
                return int(device.group(1))
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"edgehubd did not start: {open(self.err.name).read()}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def ws_events(server, count, extra):
    return subprocess.Popen(
        [f"{BENCH_BIN}/ws_events", "--port", str(server.http_port), "--connections", str(count), "--processes",
         str(PROCESSES), "--concurrency", "32", "--phase-timeout", "600", "--password", PASSWORD] + extra,
        stdout=subprocess.PIPE, text=True)


def fields(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)


def idle_run(work, run):
    server = Server(work, f"idle-{run}", SESSIONS)
    try:
        client = ws_events(server, SESSIONS, ["--server-pid", str(server.proc.pid), "--quiesce-seconds", "3"])
        out, _ = client.communicate(timeout=1200)
    finally:
        server.stop()
    phase = next(fields(l) for l in out.splitlines() if "kind=phase" in l)
    memory = next(fields(l) for l in out.splitlines() if "kind=memory" in l)
    print(f"idle run {run}: {' '.join(l for l in out.splitlines() if 'kind=phase' in l or 'kind=memory' in l)}",
          file=sys.stderr)
    if int(phase["failed"]) or int(memory.get("connections", 0)) != SESSIONS:
        raise RuntimeError(f"idle run {run}: not every session opened: {out}")
    return phase, memory


def wait_for_tcp(port, proc):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    raise RuntimeError(f"port {port} never opened")


def anchor_run(work, run):
    """The same idle load on libwebsockets' test server (lws-mirror-protocol)."""
    port = free_port()
    with open(os.path.join(work, f"lws-{run}.log"), "w") as log:
        server = subprocess.Popen(["libwebsockets-test-server", f"--port={port}"], stdout=log, stderr=log, cwd=work)
    try:
        wait_for_tcp(port, server)
        client = subprocess.Popen(
            [f"{BENCH_BIN}/ws_events", "--port", str(port), "--connections", str(SESSIONS), "--processes",
             str(PROCESSES), "--concurrency", "32", "--phase-timeout", "600", "--anchor-subprotocol",
             "lws-mirror-protocol", "--server-pid", str(server.pid), "--quiesce-seconds", "3"],
            stdout=subprocess.PIPE, text=True)
        out, _ = client.communicate(timeout=1200)
    finally:
        server.terminate()
        server.wait()
    print(f"anchor run {run}: {' '.join(l for l in out.splitlines() if 'kind=memory' in l)}", file=sys.stderr)
    return next(fields(l) for l in out.splitlines() if "kind=memory" in l)


def read_reply(stream):
    """One reply line of the device protocol, skipping '!' notifications."""
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError("edgehubd closed the trigger's connection")
        if line.startswith(("+OK", "-ERR")):
            return line.strip()


def trigger(server):
    """Logs in as 'trigger' on the device port and sends the broadcasts."""
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        stream = s.makefile("r", encoding="utf-8", newline="\n")
        read_reply(stream)  # the greeting
        s.sendall(f"login trigger {PASSWORD}\n".encode())
        if not read_reply(stream).startswith("+OK"):
            raise RuntimeError("trigger login refused")
        for _ in range(EVENTS):
            s.sendall(f"broadcast bench-{time.monotonic_ns()}\n".encode())
            reply = read_reply(stream)
            if not reply.startswith("+OK"):
                raise RuntimeError(f"broadcast refused: {reply}")
            time.sleep(INTERVAL_MS / 1000)


def cpu_seconds(pid):
    """User + system CPU of a process so far (/proc/PID/stat)."""
    fields_after_name = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields_after_name[11]) + int(fields_after_name[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def fanout_run(work, run):
    server = Server(work, f"fanout-{run}", FANOUT)
    prefix = os.path.join(server.dir, "latency")
    hold = EVENTS * INTERVAL_MS / 1000 * 2 + 10
    try:
        client = ws_events(server, FANOUT, ["--latency-file", prefix, "--hold-seconds", str(hold)])
        for line in client.stdout:
            if "kind=phase" in line and int(fields(line)["failed"]):
                raise RuntimeError(f"fanout run {run}: not every session opened: {line}")
            if "kind=holding" in line:
                break
        cpu_before = cpu_seconds(server.proc.pid)
        trigger(server)
        cpu = cpu_seconds(server.proc.pid) - cpu_before
        rest, _ = client.communicate(timeout=hold + 120)
    finally:
        server.stop()
    latencies = sorted(int(v) for f in glob.glob(prefix + ".*") for v in open(f).read().split())
    expected = FANOUT * EVENTS
    if len(latencies) != expected:
        print(f"fanout run {run}: {len(latencies)} deliveries, expected {expected}: {rest}", file=sys.stderr)
    result = {"deliveries": len(latencies), "expected": expected, "p50": percentile(latencies, 50) / 1000,
              "p99": percentile(latencies, 99) / 1000, "max": latencies[-1] / 1000,
              "server_cpu_us_per_delivery": round(cpu * 1e6 / max(1, len(latencies)), 2)}
    print(f"fanout run {run}: {result}", file=sys.stderr)
    return result


def median(values):
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def main():
    print(f"machine: {machine()}")
    work = tempfile.mkdtemp(prefix="edgehub-ws-bench.")
    idle, anchor, fanout = [], [], []
    try:
        for run in range(1, RUNS + 1):
            if SESSIONS:
                idle.append(idle_run(work, run))
                if ANCHOR:
                    anchor.append(anchor_run(work, run))
            if FANOUT:
                fanout.append(fanout_run(work, run))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    if idle:
        print(f"\n{SESSIONS} idle sessions, each logged in and holding /api/v1/events; bytes per session:")
        print("| measure | median | best | all runs |\n|---|---:|---:|---|")
        for key, name in (("rss_per_conn", "RSS"), ("pss_per_conn", "PSS"), ("private_per_conn", "private")):
            values = [float(m[key]) for _, m in idle]
            print(f"| {name} | {median(values):.0f} | {min(values):.0f} | {' '.join(f'{v:.0f}' for v in values)} |")
        for key, name in (("rss_per_conn", "RSS"), ("private_per_conn", "private")):
            if not anchor:
                break
            values = [float(m[key]) for m in anchor]
            print(f"| {name}, libwebsockets test server (no login) | {median(values):.0f} | {min(values):.0f} | "
                  f"{' '.join(f'{v:.0f}' for v in values)} |")
        rates = [float(p["rate"]) for p, _ in idle]
        print(f"| logins + upgrades per second | {median(rates):.0f} | {max(rates):.0f} | "
              f"{' '.join(f'{v:.0f}' for v in rates)} |")
    if fanout:
        print(f"\n{FANOUT} sockets, {EVENTS} broadcasts every {INTERVAL_MS:g} ms; delivery latency in ms:")
        print("| measure | median | best | all runs |\n|---|---:|---:|---|")
        for key in ("p50", "p99", "max"):
            values = [r[key] for r in fanout]
            print(f"| {key} | {median(values):.1f} | {min(values):.1f} | {' '.join(f'{v:.1f}' for v in values)} |")
        values = [r["server_cpu_us_per_delivery"] for r in fanout]
        print(f"| server CPU µs per delivery (while broadcasting) | {median(values):.1f} | {min(values):.1f} | "
              f"{' '.join(f'{v:.1f}' for v in values)} |")
        print(f"| deliveries / expected | | | {' '.join(str(r['deliveries']) + '/' + str(r['expected']) for r in fanout)} |")


if __name__ == "__main__":
    main()
