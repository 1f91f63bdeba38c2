"""Helper of bench/metrics_scrape_bench.sh (docs/BENCHMARKS.md#metrics-scrape-cost).

  metrics_scrape.py PID HTTP_PORT burst N
      N scrapes of /metrics back to back over one keep-alive connection;
      prints "RESULT burst scrapes=N server_cpu_us_per_scrape=... bytes=..."
      (the server's CPU time from /proc/PID/stat over the burst, divided by N).
  metrics_scrape.py PID HTTP_PORT every MS STOPFILE
      one scrape every MS milliseconds until STOPFILE exists; prints
      "RESULT every scrapes=N per_s=R"."""
import http.client
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def scrape(conn):
    conn.request("GET", "/metrics")
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"/metrics answered {response.status}")
    return len(body)


def burst(pid, conn, n):
    scrape(conn)  # warm: the connection, the page cache, the allocator
    before = cpu_seconds(pid)
    size = 0
    for _ in range(n):
        size = scrape(conn)
    spent = cpu_seconds(pid) - before
    print(f"RESULT burst scrapes={n} server_cpu_us_per_scrape={spent * 1e6 / n:.1f} bytes={size}")


def every(conn, ms, stop_file):
    n = 0
    began = next_at = time.monotonic()
    while not os.path.exists(stop_file):
        scrape(conn)
        n += 1
        next_at += ms / 1000
        time.sleep(max(0.0, next_at - time.monotonic()))
    print(f"RESULT every scrapes={n} per_s={n / (time.monotonic() - began):.1f}")


def main():
    pid, port, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if mode == "burst":
        burst(pid, conn, int(sys.argv[4]))
    else:
        every(conn, float(sys.argv[4]), sys.argv[5])


if __name__ == "__main__":
    main()
