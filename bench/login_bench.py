"""Logins per second over TLS 1.3 (issue 15; docs/BENCHMARKS.md#logins-over-tls):
edgehubd with resume tokens and with device certificates, against
Mosquitto's TLS listener with a password file and with
require_certificate, interleaved in one run.

One login = TCP connect, TLS handshake (with a client certificate where
used), the login (`resume NAME TOKEN` / `certlogin NAME`, or MQTT CONNECT),
its answer, then logout (`OUT`, its `+OK Bye` / MQTT DISCONNECT) and close.
CONCURRENCY workers per account set, each its own account and certificate,
run COUNT logins in total per batch; a batch's rate is COUNT / its time.

Usage: EDGEHUB_BIN_DIR=build-release/src/app python3 bench/login_bench.py
       [COUNT [CONCURRENCY [RUNS]]]
Needs mosquitto (scripts/install-deps.sh mosquitto installs it when missing).
"""
import asyncio
import os
import shutil
import ssl
import statistics
import struct
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(os.environ.get("EDGEHUB_BIN_DIR", "build/src/app"))
EDGEHUBD = os.path.join(BIN, "edgehubd")


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def client_context(cert=None, key=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the server's cost is measured, not the client's pinning
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


async def read_until(reader, prefix):
    while True:
        line = await reader.readline()
        if not line:
            raise RuntimeError(f"closed while waiting for {prefix!r}")
        if line.startswith(prefix):
            return line.decode().strip()
        if line.startswith(b"-ERR"):
            raise RuntimeError(line.decode().strip())


class EdgehubWorker:
    def __init__(self, port, ctx, name, token=None):
        self.port, self.ctx, self.name, self.token = port, ctx, name, token

    async def login_once(self):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, ssl=self.ctx, server_hostname="")
        await read_until(reader, b"+OK EDGEHUB")
        writer.write((f"resume {self.name} {self.token}\n" if self.token else f"certlogin {self.name}\n").encode())
        await read_until(reader, b"+OK Welcome")
        token = (await read_until(reader, b"!TOKEN")).split()[1]
        if self.token:
            self.token = token  # single use: the next resume needs the new one
        writer.write(b"OUT\n")
        await read_until(reader, b"+OK Bye")
        writer.close()
        await writer.wait_closed()


def mqtt_connect(client_id, user=None, password=None):
    def s(text):
        data = text.encode()
        return struct.pack("!H", len(data)) + data
    flags = 0x02 | (0x80 if user else 0) | (0x40 if password else 0)
    body = s("MQTT") + bytes([4, flags]) + struct.pack("!H", 60) + s(client_id)
    body += (s(user) if user else b"") + (s(password) if password else b"")
    return bytes([0x10, len(body)]) + body  # bodies here stay under 128 bytes


class MqttWorker:
    def __init__(self, port, ctx, name, password=None):
        self.port, self.ctx, self.name, self.password = port, ctx, name, password

    async def login_once(self):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, ssl=self.ctx, server_hostname="")
        user = self.name if self.password else None
        writer.write(mqtt_connect(self.name, user, self.password))
        connack = await reader.readexactly(4)
        if connack != b"\x20\x02\x00\x00":
            raise RuntimeError(f"CONNACK {connack.hex()}")
        writer.write(b"\xe0\x00")
        await writer.drain()
        await reader.read()  # the broker closes after DISCONNECT
        writer.close()
        await writer.wait_closed()


async def batch(workers, count):
    left = [count]

    async def loop(worker):
        while left[0] > 0:
            left[0] -= 1
            await worker.login_once()

    start = time.perf_counter()
    await asyncio.gather(*(loop(w) for w in workers))
    return count / (time.perf_counter() - start)


class Setup:
    def __init__(self, work, concurrency):
        self.work, self.n = work, concurrency
        os.chmod(work, 0o755)  # mosquitto drops root before it reads its files
        self.data = os.path.join(work, "data")
        self.certs = os.path.join(work, "certs")
        os.makedirs(self.certs)
        run(EDGEHUBD, "ca", "init", "--data-dir", self.data)
        for name in [f"dev{i}" for i in range(self.n)] + ["broker"]:
            run(EDGEHUBD, "ca", "issue", name, "--data-dir", self.data, "--out", self.certs)
        for f in os.listdir(self.certs):  # likewise
            os.chmod(os.path.join(self.certs, f), 0o644)
        shutil.copy(os.path.join(self.data, "ca", "ca.crt"), self.certs)
        self.passwords = {f"p{i}": f"pw-{i}-secret" for i in range(self.n)}
        with open(os.path.join(work, "credentials.txt"), "w") as f:
            f.writelines(f"{u} {p}\n" for u, p in self.passwords.items())

    def cert(self, name):
        return os.path.join(self.certs, name + ".crt"), os.path.join(self.certs, name + ".key")

    def start_edgehubd(self):
        log = open(os.path.join(self.work, "edgehubd.log"), "w")
        self.hub = subprocess.Popen([EDGEHUBD, "--port", "0", "--http-port", "0", "--data-dir", self.data, "--credentials",
                                     os.path.join(self.work, "credentials.txt"), "--no-presence",
                                     "--connect-rate", "0", "--log-level", "warn"],
                                    stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.hub.stdout.readline()
        self.hub_port = int(line.split("listening on ")[1].split()[0].rsplit(":", 1)[1])

    def start_mosquitto(self, pw_port, cert_port):
        passwd = os.path.join(self.work, "mosquitto.passwd")
        open(passwd, "w").close()
        for user, pw in self.passwords.items():
            run("mosquitto_passwd", "-b", passwd, user, pw)
        os.chmod(passwd, 0o644)
        c = self.certs
        tls = [f"cafile {c}/ca.crt", f"certfile {c}/broker.crt", f"keyfile {c}/broker.key", "tls_version tlsv1.3"]
        conf = ["per_listener_settings true", "set_tcp_nodelay true", "persistence false", "log_dest stdout", "max_connections -1",
                f"listener {pw_port} 127.0.0.1", *tls, "allow_anonymous false", f"password_file {passwd}",
                f"listener {cert_port} 127.0.0.1", *tls, "require_certificate true", "use_identity_as_username true",
                "allow_anonymous false"]
        path = os.path.join(self.work, "mosquitto.conf")
        with open(path, "w") as f:
            f.write("\n".join(conf) + "\n")
        self.mosq = subprocess.Popen(["mosquitto", "-c", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        for p in (getattr(self, "hub", None), getattr(self, "mosq", None)):
            if p:
                p.terminate()
                p.wait(timeout=30)


async def edgehub_password_logins(setup):
    """One password login per worker (argon2id, default cost) gives each its first token."""
    workers = []
    for i in range(setup.n):
        name = f"p{i}"
        reader, writer = await asyncio.open_connection("127.0.0.1", setup.hub_port, ssl=client_context(),
                                                       server_hostname="")
        await read_until(reader, b"+OK EDGEHUB")
        writer.write(f"login {name} {setup.passwords[name]}\n".encode())
        await read_until(reader, b"+OK Welcome")
        token = (await read_until(reader, b"!TOKEN")).split()[1]
        writer.write(b"OUT\n")
        await read_until(reader, b"+OK Bye")
        writer.close()
        workers.append(EdgehubWorker(setup.hub_port, client_context(), name, token))
    return workers


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


async def wait_for_port(port):
    for _ in range(100):
        try:
            _, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


async def main(count, concurrency, runs):
    work = tempfile.mkdtemp(prefix="login-bench-")
    setup = Setup(work, concurrency)
    try:
        setup.start_edgehubd()
        pw_port, cert_port = free_port(), free_port()
        setup.start_mosquitto(pw_port, cert_port)
        await wait_for_port(pw_port)
        await wait_for_port(cert_port)
        configs = {
            "edgehubd resume token": await edgehub_password_logins(setup),
            "edgehubd device certificate": [EdgehubWorker(setup.hub_port, client_context(*setup.cert(f"dev{i}")),
                                                          f"dev{i}") for i in range(concurrency)],
            "mosquitto password_file": [MqttWorker(pw_port, client_context(), f"p{i}", setup.passwords[f"p{i}"])
                                        for i in range(concurrency)],
            "mosquitto require_certificate": [MqttWorker(cert_port, client_context(*setup.cert(f"dev{i}")),
                                                         f"dev{i}") for i in range(concurrency)],
        }
        results = {name: [] for name in configs}
        for _ in range(runs):  # interleaved: each run does every configuration once
            for name, workers in configs.items():
                results[name].append(await batch(workers, count))
        print(f"{count} logins per batch, {concurrency} concurrent, {runs} runs each, interleaved")
        print("| server, login | median logins/s | best | all runs |")
        print("|---|---|---|---|")
        for name, rates in results.items():
            print(f"| {name} | {statistics.median(rates):.0f} | {max(rates):.0f} | "
                  f"{', '.join(f'{r:.0f}' for r in rates)} |")
    finally:
        setup.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(*(args + [1000, 16, 5][len(args):])))
