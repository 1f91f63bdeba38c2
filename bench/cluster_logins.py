"""Logins per second against one edgehubd over plain TCP (bench/cluster_bench.sh):
the same server on SQLite and on PostgreSQL, where each login also claims
the account in cluster_sessions and each logout releases it
(docs/CLUSTER.md#logins-across-nodes).

One login = connect, greeting, `login NAME PASSWORD`, its `+OK Welcome`,
`OUT`, its `+OK Bye`, close. 16 workers, each its own account of msg_load
--write-credentials' scheme (offNNNNNN / pwNNNNNNx), run COUNT logins in all.

Usage: python3 bench/cluster_logins.py PORT COUNT ACCOUNTS
Prints: RESULT logins count=N seconds=S logins_per_s=R
"""
import asyncio
import sys
import time

from login_bench import read_until  # bench/ is the script's directory

WORKERS = 16


async def login_once(port, number):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\n")  # plain text at once: no wait for a TLS ClientHello
    await read_until(reader, b"+OK EDGEHUB")
    writer.write(f"login off{number:06} pw{number:06}x\n".encode())
    await read_until(reader, b"+OK Welcome")
    writer.write(b"OUT\n")
    await read_until(reader, b"+OK Bye")
    writer.close()
    await writer.wait_closed()


async def worker(port, number, count):
    for _ in range(count):
        await login_once(port, number)


async def main(port, count, accounts):
    workers = min(WORKERS, accounts)
    per_worker = count // workers
    started = time.monotonic()
    await asyncio.gather(*(worker(port, w, per_worker) for w in range(workers)))
    took = time.monotonic() - started
    done = per_worker * workers
    print(f"RESULT logins count={done} seconds={took:.3f} logins_per_s={done / took:.0f}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
