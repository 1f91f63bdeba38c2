#!/usr/bin/env python3
"""Server memory of MEDIAN on equal values (docs/BENCHMARKS.md#median-memory).

Uploads two files of 67,108,864 lines "0" (128 MiB each) from two devices,
then both run SCS MEDIAN at the same time. Prints edgehubd's VmRSS before,
after the uploads and after MEDIAN, and its peak during MEDIAN (VmHWM, reset
after the uploads through /proc/PID/clear_refs), in MiB.
Usage: EDGEHUB_BIN_DIR=build/src/app python3 bench/median_rss.py [LINES]
"""
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import Server  # noqa: E402


def status_mib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 64 * 1024 * 1024
    with Server() as server:
        pid = server.proc.pid
        clients = [server.client(name) for name in ("alice", "bob")]
        for c in clients:
            with open(os.path.join(c.cwd, f"{c.user}-1.txt"), "wb") as f:
                f.write(b"0\n" * lines)
        before = status_mib(pid, "VmRSS")
        for c in clients:
            c.command("UED 1", r"file 1 uploaded", timeout=600)
        uploaded = status_mib(pid, "VmRSS")
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS: the peak below is MEDIAN's
        answers = {}

        def median(c):
            answers[c.user] = c.command("SCS 1 MEDIAN", r"MEDIAN = \S+|ERR.*|error.*", timeout=600).group(0)

        threads = [threading.Thread(target=median, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = status_mib(pid, "VmRSS")
        peak = status_mib(pid, "VmHWM")
        print(f"lines per file {lines}; answers {answers}; server alive {server.alive()}")
        print(f"VmRSS MiB: start {before:.0f}, after uploads {uploaded:.0f}, after MEDIAN {after:.0f}; "
              f"peak during MEDIAN (VmHWM) {peak:.0f}, +{peak - uploaded:.0f}")


if __name__ == "__main__":
    main()
