#!/usr/bin/env python3
"""Measures what the shaped links really carry (docs/BENCHMARKS.md#swarm-download):
TCP goodput from each seeder's namespace to the downloader's, all at once.

  linkcheck.py PREFIX SECONDS SEEDER...   (seeder numbers, e.g. 1 2 3 4)

Prints one line per seeder ("s1 97.3"), then "sum 389.1", in Mbit/s. The
modes "serve COUNT" and "send SECONDS" are this script's own halves, run
inside the namespaces."""
import socket
import subprocess
import sys
import threading
import time

PORT = 5299
DOWNLOADER = "10.77.0.2"


def serve(count):
    server = socket.create_server((DOWNLOADER, PORT))
    print("ready", flush=True)
    results = {}

    def one(conn, addr):
        total, start = 0, time.monotonic()
        while data := conn.recv(1 << 20):
            total += len(data)
        results[addr] = total * 8 / (time.monotonic() - start) / 1e6

    threads = []
    for _ in range(count):
        conn, addr = server.accept()
        threads.append(threading.Thread(target=one, args=(conn, addr[0])))
        threads[-1].start()
    for t in threads:
        t.join()
    for addr, rate in results.items():
        print(addr, rate)


def send(seconds):
    s = socket.create_connection((DOWNLOADER, PORT))
    block = bytes(1 << 16)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        s.sendall(block)
    s.close()


def measure(prefix, seconds, seeders):
    me = [sys.executable, __file__]
    receiver = subprocess.Popen(["ip", "netns", "exec", f"{prefix}-dl", *me, "serve", str(len(seeders))],
                                stdout=subprocess.PIPE, text=True)
    try:
        if receiver.stdout.readline().strip() != "ready":
            raise SystemExit("linkcheck: the receiver did not start")
        senders = [subprocess.Popen(["ip", "netns", "exec", f"{prefix}-s{i}", *me, "send", str(seconds)])
                   for i in seeders]
        for s in senders:
            s.wait(timeout=seconds + 30)
        out = receiver.communicate(timeout=30)[0]
    finally:
        receiver.kill()
    total = 0.0
    for line in sorted(out.splitlines(), key=lambda l: int(l.split()[0].rsplit(".", 1)[1])):
        addr, rate = line.split()
        total += float(rate)
        print(f"s{int(addr.rsplit('.', 1)[1]) - 10} {float(rate):.1f}")
    print(f"sum {total:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    elif sys.argv[1] == "send":
        send(float(sys.argv[2]))
    else:
        measure(sys.argv[1], float(sys.argv[2]), sys.argv[3:])
