"""How long a node's death takes to show on another node (bench/cluster_scale_bench.sh).

A watcher device logs in on one node with presence events on, and counts the
`!LOGIN NAME` events of the devices whose names start with PREFIX (the
victim node's devices, logged in by the `load` tool after READY). Once it has
seen COUNT of them it prints SEEN and waits for SIGUSR1; then it kills the
victim node (SIGKILL) and times the `!LOGOUT NAME` events of those devices:
what a user on the surviving node sees. The node drops them when the dead
node's lease has run out (docs/CLUSTER.md#the-node-registry-and-its-lease).

Usage: python3 bench/cluster_death.py PORT NAME PASSWORD PREFIX COUNT VICTIM_PID TIMEOUT_S
Prints: READY, SEEN, then
RESULT death devices=N first_s=F last_s=L   (seconds from the kill)
"""
import asyncio
import os
import signal
import sys
import time


async def read_line(reader):
    line = await reader.readline()
    if not line:
        raise ConnectionError("the watcher's node closed the connection")
    return line.decode(errors="replace").rstrip("\r\n")


async def login(port, name, password):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\n")  # plain text at once: no wait for a TLS ClientHello
    while not (await read_line(reader)).startswith("+OK EDGEHUB"):
        pass
    writer.write(f"notify on\nlogin {name} {password}\n".encode())
    while True:
        line = await read_line(reader)
        if line.startswith("-ERR"):
            raise RuntimeError(f"watcher login refused: {line}")
        if line.startswith("+OK Welcome"):
            return reader, writer


class Watch:
    """Reads the watcher's connection all along (answering !PING, so that the
    node's heartbeat keeps it), noting the expected devices' logins and,
    once the victim is killed, the time of each one's logout."""

    def __init__(self, reader, writer, expected):
        self.reader, self.writer, self.expected = reader, writer, expected
        self.logged_in, self.logged_out = set(), []
        self.killed = None
        self.all_in, self.all_out = asyncio.Event(), asyncio.Event()

    async def read(self):
        while True:
            line = await read_line(self.reader)
            if line == "!PING":
                self.writer.write(b"\n")
                continue
            kind, _, rest = line.partition(" ")
            name = rest.split(" ")[0]
            if name not in self.expected:
                continue
            if kind == "!LOGIN":
                self.logged_in.add(name)
                if len(self.logged_in) == len(self.expected):
                    self.all_in.set()
            elif kind == "!LOGOUT" and self.killed is not None:
                self.logged_out.append(time.monotonic() - self.killed)
                if len(self.logged_out) == len(self.expected):
                    self.all_out.set()


async def until(event, reading, timeout=None):
    """Waits for event; the reader's failure (a closed connection) ends the wait."""
    waiting = asyncio.ensure_future(event.wait())
    done, _ = await asyncio.wait({waiting, reading}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if reading in done:
        reading.result()
    if waiting not in done:
        waiting.cancel()
        return False
    return True


async def main(port, name, password, prefix, count, victim, timeout):
    reader, writer = await login(port, name, password)
    print("READY", flush=True)
    watch = Watch(reader, writer, {f"{prefix}{i:06}" for i in range(1, count + 1)})
    reading = asyncio.ensure_future(watch.read())
    await until(watch.all_in, reading)
    print("SEEN", flush=True)
    go = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, go.set)
    await until(go, reading)
    os.kill(victim, signal.SIGKILL)
    watch.killed = time.monotonic()
    if not await until(watch.all_out, reading, timeout):
        print(f"timeout: {len(watch.logged_out)} of {count} logouts seen in {timeout} s", flush=True)
        sys.exit(1)
    seen = watch.logged_out
    print(f"RESULT death devices={count} first_s={seen[0]:.3f} last_s={seen[-1]:.3f}", flush=True)
    reading.cancel()
    writer.close()


if __name__ == "__main__":
    a = sys.argv[1:]
    asyncio.run(main(int(a[0]), a[1], a[2], a[3], int(a[4]), int(a[5]), float(a[6])))
