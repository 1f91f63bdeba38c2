#!/usr/bin/env python3
"""Server memory per idle connection, TLS against plaintext
(docs/BENCHMARKS.md#tls).

    EDGEHUB_BIN_DIR=build/src/app python3 bench/tls_idle_memory.py [CONNECTIONS] [ROUNDS]

Each round starts a fresh `edgehubd --guest --no-presence`, reads its VmRSS,
opens CONNECTIONS connections (default 2000) that each read their greeting
(a guest is logged in by it) and then stay idle, reads VmRSS again once every
greeting has arrived, and closes them. Rounds alternate TLS and plaintext
(loopback), ROUNDS of each (default 3); prints every round and the median
bytes per connection of each.
"""
import asyncio
import gc
import os
import resource
import ssl
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from harness import Server  # noqa: E402


async def hold(port, count, use_tls):
    context = None
    if use_tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # a benchmark: the certificate is not the point
    writers = []
    retried = 0

    async def connect():
        # A ClientHello later than the server's 250 ms wait (a loaded
        # machine) meets the plaintext greeting: tried once more, as
        # edgehub does (docs/SECURITY.md#tls), and counted.
        nonlocal retried
        try:
            return await asyncio.open_connection("127.0.0.1", port, ssl=context)
        except ssl.SSLError:
            retried += 1
            return await asyncio.open_connection("127.0.0.1", port, ssl=context)

    batch = 50  # connections opened at once
    for start in range(0, count, batch):
        opened = await asyncio.gather(*(connect() for _ in range(min(batch, count - start))))
        greetings = await asyncio.gather(*(reader.readline() for reader, _ in opened))
        assert all(g.startswith(b"+OK EDGEHUB/1 guest") for g in greetings), greetings[:3]
        writers += [w for _, w in opened]
    if retried:
        print(f"  ({retried} TLS connections needed a second try)", flush=True)
    return writers


async def close_all(writers):
    # gather() inside the loop: called outside it, Python 3.10 and later tie
    # its future to another loop and run_until_complete refuses it.
    await asyncio.gather(*(w.wait_closed() for w in writers), return_exceptions=True)


def one_round(count, use_tls):
    with Server("--guest", "--no-presence", "--log-level", "warn") as server:
        before = server.rss_kib()
        loop = asyncio.new_event_loop()
        writers = loop.run_until_complete(hold(server.port, count, use_tls))
        after = server.rss_kib()
        for w in writers:
            w.close()
        loop.run_until_complete(close_all(writers))
        loop.close()
        writers.clear()
        gc.collect()  # the next round's clients must not stall in this one's garbage
        return (after - before) * 1024 / count, before, after


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    results = {"tls": [], "plaintext": []}
    for i in range(rounds):
        for name in ("tls", "plaintext"):
            per_conn, before, after = one_round(count, name == "tls")
            results[name].append(per_conn)
            print(f"round {i + 1} {name}: {count} idle guests, RSS {before} -> {after} KiB, {per_conn:.0f} B each",
                  flush=True)
    for name, values in results.items():
        print(f"{name}: median {statistics.median(values):.0f} B per idle connection, best {min(values):.0f}, "
              f"all {', '.join(f'{v:.0f}' for v in values)}")


if __name__ == "__main__":
    main()
