#!/usr/bin/env python3
"""Round-trip latency of SCS operations over a raw connection (what the
server adds, plus loopback and this script's own overhead).
Usage: scs_latency.py PORT USER PASSWORD FILEID [REPEATS]"""
import socket
import statistics
import sys
import time

port, user, password, file_id = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 200
sock = socket.create_connection(("127.0.0.1", port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
reader = sock.makefile("rb")


def reply():
    while True:
        line = reader.readline().decode().rstrip("\n")
        if not line.startswith("!"):
            return line


reply()  # greeting
sock.sendall(f"login {user} {password}\n".encode())
assert reply().startswith("+OK"), "login failed"
for op in ["SUM", "AVERAGE", "MAX", "MIN", "COUNT", "STDDEV", "MEDIAN"]:
    samples = []
    answer = ""
    for _ in range(repeats if op != "MEDIAN" else 3):
        start = time.perf_counter()
        sock.sendall(f"SCS {file_id} {op}\n".encode())
        answer = reply()
        samples.append((time.perf_counter() - start) * 1e3)
    print(f"{op:8} p50 {statistics.median(samples):9.3f} ms  min {min(samples):9.3f} ms  n={len(samples)}  {answer}")
sock.sendall(b"OUT\n")
