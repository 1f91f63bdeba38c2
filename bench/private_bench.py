#!/usr/bin/env python3
"""Private-session message rate: alice sends COUNT messages of SIZE bytes
over an open private session (batch clients, docs/MESSAGING.md#private-sessions)
and the clock stops when bob has printed the last one. Prints one line:
messages per second and MB/s of message text. The binaries come from
EDGEHUB_BIN_DIR, as in the integration tests.
Usage: private_bench.py [COUNT [SIZE]]"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from harness import Server  # noqa: E402
from test_private import open_session  # noqa: E402

count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
size = int(sys.argv[2]) if len(sys.argv) > 2 else 100

with Server() as server:
    bob = server.client("bob")
    alice = server.client("alice")
    open_session(alice, bob)
    lines = "".join(f"private bob {i:08d} {'x' * (size - 9)}\n" for i in range(count)).encode()
    start = time.perf_counter()
    alice.proc.stdin.write(lines)
    alice.proc.stdin.flush()
    bob.expect(rf"^alice\(private\): {count - 1:08d} ", timeout=600)
    elapsed = time.perf_counter() - start
    print(f"{count} messages of {size} bytes in {elapsed:.3f} s: {count / elapsed:,.0f} msg/s, "
          f"{count * size / elapsed / 1e6:.2f} MB/s")
    alice.finish()
    bob.finish()
