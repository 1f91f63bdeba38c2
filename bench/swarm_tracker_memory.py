#!/usr/bin/env python3
"""The swarm tracker's memory estimate (swarmstat, docs/SWARM.md#limits)
against edgehubd's real growth: one device shares FILES manifests of CHUNKS
chunks each; prints the estimate and the server's RSS before and after.
Usage: EDGEHUB_BIN_DIR=build/src/app bench/swarm_tracker_memory.py [FILES [CHUNKS]]"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from harness import Server, raw_login, reply_to  # noqa: E402
from test_swarm_tracker import share  # noqa: E402


class Fake:
    """A manifest of count chunks of 16 KiB with made-up digests."""

    def __init__(self, seed, count):
        self.chunk_size = 16384
        self.size = count * self.chunk_size
        self.digests = b"".join(hashlib.sha256(struct.pack(">II", seed, c)).digest() for c in range(count))
        self.root = hashlib.sha256(b"EHS1" + struct.pack(">QI", self.size, self.chunk_size) + self.digests).hexdigest()


def main():
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    chunks = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    with Server("--swarm-max-files", str(max(files, 1))) as server:
        alice = raw_login(server, "alice", udp_port=7001)
        before = server.rss_kib()
        for i in range(files):
            reply = share(alice, Fake(i, chunks), f"file{i:05d}.bin")
            assert reply.startswith("+OK"), reply
        stat = reply_to(alice, "swarmstat")[0]
        after = server.rss_kib()
        print(f"{files} manifests of {chunks} chunks: {stat}")
        print(f"edgehubd RSS {before} KiB -> {after} KiB: grew by {(after - before) * 1024} bytes")
        alice.close()


if __name__ == "__main__":
    main()
