#!/usr/bin/env python3
"""What `status` and the presence history cost after many logins
(issue 14 item 9; docs/BENCHMARKS.md#status-after-many-logins).

Logs alice in and out LOGINS times (each a fresh TCP connection, cheap
argon2), then prints edgehubd's VmRSS growth per login and the size of the
`status` reply (default N = 50) and of `status 1000000` (every entry kept).
Usage: EDGEHUB_BIN_DIR=build/src/app python3 bench/status_growth.py [LOGINS]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import Server, raw_login, reply_to  # noqa: E402


def reply_bytes(server, command):
    conn = raw_login(server, "bob")
    try:
        lines = reply_to(conn, command, timeout=120)
        return len(lines), sum(len(line) + 1 for line in lines)
    finally:
        conn.close()


def main():
    logins = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with Server() as server:
        raw_login(server, "alice").close()  # warm up: first allocations
        before = server.rss_kib()
        for _ in range(logins):
            conn = raw_login(server, "alice")
            reply_to(conn, "OUT")
            conn.close()
        after = server.rss_kib()
        default_lines, default_bytes = reply_bytes(server, "status")
        all_lines, all_bytes = reply_bytes(server, "status 1000000")
        print(f"logins: {logins}")
        print(f"VmRSS: {before} KiB -> {after} KiB: {(after - before) * 1024 / logins:.0f} B per login")
        print(f"status: {default_lines} lines, {default_bytes} bytes")
        print(f"status 1000000: {all_lines} lines, {all_bytes} bytes")


if __name__ == "__main__":
    main()
