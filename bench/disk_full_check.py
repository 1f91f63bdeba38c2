#!/usr/bin/env python3
"""The disk figures of issue 14 items 2 and 3, on a real 64 MiB tmpfs
(docs/SECURITY.md#measured-on-a-64-mib-disk). Needs root (mount).

1. A 62 MiB put, with the default --keep-free and with --keep-free 8M; a
   48 MiB put that then sends nothing, while bob stores 1000 offline
   messages for carol; how long until --upload-timeout 5 frees its space.
2. A 62 MiB put preallocated with --keep-free 0, kill -9, restart.
3. The disk filled, restart: start time, carol's 1000 messages delivered,
   a write refused, then accepted once there is room.
Usage: EDGEHUB_BIN_DIR=build/src/app python3 bench/disk_full_check.py
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from disk_harness import SmallDisk  # noqa: E402
from harness import Server, raw_login, reply_to  # noqa: E402

MIB = 1 << 20
SHA = "ab" * 32
MESSAGES = 1000


def mib(n):
    return f"{n / MIB:.1f} MiB"


def uploads(disk):
    files = disk.path("data", "files")
    return [n for n in os.listdir(files) if n.startswith(".upload-")]


def budgets(disk):
    with Server(data_dir=disk.path("data")) as server:
        alice = raw_login(server, "alice")
        print("defaults, put 62 MiB:", reply_to(alice, f"put big {62 * MIB} {SHA}")[0])
    with Server("--keep-free", "8M", "--upload-timeout", "5", data_dir=disk.path("data")) as server:
        alice = raw_login(server, "alice")
        print("--keep-free 8M, put 62 MiB:", reply_to(alice, f"put big {62 * MIB} {SHA}")[0])
        print("--keep-free 8M, put 48 MiB:", reply_to(alice, f"put mid {48 * MIB} {SHA}")[0])
        started = time.monotonic()
        print("free with the 48 MiB upload held:", mib(disk.free_bytes()))
        bob = raw_login(server, "bob")
        stored = sum(reply_to(bob, f"message carol offline message {i}")[0].startswith("+OK carol is offline")
                     for i in range(MESSAGES))
        print(f"bob's offline messages to carol stored meanwhile: {stored} of {MESSAGES}")
        while uploads(disk):
            time.sleep(0.05)
        print(f"silent upload dropped after {time.monotonic() - started:.2f} s (--upload-timeout 5);"
              f" free again: {mib(disk.free_bytes())}")


def crash(disk):
    server = Server("--keep-free", "0", data_dir=disk.path("data"))
    alice = raw_login(server, "alice")
    print("--keep-free 0, put 62 MiB:", reply_to(alice, f"put huge {62 * MIB} {SHA}")[0][:40],
          "free:", mib(disk.free_bytes()))
    server.kill9()  # before alice's connection closes, which would drop the upload cleanly
    alice.close()
    started = time.monotonic()
    server.start()
    print(f"restart after kill -9: listening after {time.monotonic() - started:.2f} s;",
          [line.split("] ", 2)[-1] for line in server.log().splitlines() if "removed" in line][-1])
    server.stop()


def full_restart(disk):
    server = Server(data_dir=disk.path("data"))
    server.stop()
    fill = disk.fill()
    started = time.monotonic()
    server.start()
    print(f"restart on a full disk ({disk.free_bytes()} bytes free): listening after "
          f"{time.monotonic() - started:.2f} s")
    carol = server.raw()
    carol.expect(r"^\+OK EDGEHUB")
    started = time.monotonic()
    carol.send("login carol " + server.credentials["carol"] + "\n")
    for i in range(MESSAGES):
        carol.expect(rf"^!STOREDMSG \S+ bob offline message {i}$")
    print(f"carol's login and her {MESSAGES} stored messages: {time.monotonic() - started:.2f} s")
    alice = raw_login(server, "alice")
    print("a write on the full disk:", reply_to(alice, "message dave hello")[0])
    os.remove(fill)
    print("after freeing the disk:", reply_to(alice, "message dave hello")[0])
    carol.close()
    alice.close()
    server.stop()
    print(server.log().split("[warning] ", 1)[1].splitlines()[0])


def main():
    disk = SmallDisk(64)
    try:
        budgets(disk)
        crash(disk)
        full_restart(disk)
    finally:
        disk.unmount()


if __name__ == "__main__":
    main()
