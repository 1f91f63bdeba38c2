"""The table and the plot data of bench/latency_bench.sh.

    python3 latency_bench_report.py SWEEP_TSV DAT_OUT MAX_RATE

Prints a Markdown table (per offered rate and server: p50, p99 and p999
medians, the best and every run of p99, and the rate delivered) and writes
DAT_OUT for bench/latency_bench.gp: one line per offered rate with the
medians of edgehubd then Mosquitto (p50 p99 p999; "NaN" where a server did
not run). A server that delivered less than 95 % of the offered rate did
not hold it; the table says so, since its latencies then describe a backlog.
"""
import csv
import statistics
import sys
from collections import defaultdict

SERVERS = ("edgehubd", "mosquitto")
PERCENTILES = ("p50_us", "p99_us", "p999_us")


def load(path):
    runs = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if not row["p99_us"]:  # a failed run: msg_load printed no result
                continue
            runs[(row["server"], int(row["offered"]))].append(row)
    return runs


def median_of(rows, key):
    return statistics.median(float(r[key]) for r in rows)


def table(runs, max_rate):
    print(f"| offered msg/s | of edgehubd's max ({max_rate}/s) | server | p50 µs | p99 µs median | p99 best | "
          "p99 all runs | p999 µs median | delivered msg/s |")
    print("|---:|---:|---|---:|---:|---:|---|---:|---:|")
    for (server, offered), rows in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        delivered = median_of(rows, "delivered_per_s")
        held = "" if delivered >= 0.95 * offered else " (**did not hold the rate**)"
        p99s = [int(float(r["p99_us"])) for r in rows]
        print(f"| {offered:,} | {offered / max_rate:.0%} | {server} | {median_of(rows, 'p50_us'):,.0f} | "
              f"{median_of(rows, 'p99_us'):,.0f} | {min(p99s):,} | {' '.join(f'{v:,}' for v in p99s)} | "
              f"{median_of(rows, 'p999_us'):,.0f} | {delivered:,.0f}{held} |")


def plot_data(runs, path):
    rates = sorted({offered for _, offered in runs})
    with open(path, "w") as f:
        f.write("# offered " + " ".join(f"{s}_{p}" for s in SERVERS for p in PERCENTILES) + "\n")
        for offered in rates:
            cells = []
            for server in SERVERS:
                rows = runs.get((server, offered))
                cells += [f"{median_of(rows, p):.0f}" if rows else "NaN" for p in PERCENTILES]
            f.write(f"{offered} {' '.join(cells)}\n")


def main():
    tsv, dat, max_rate = sys.argv[1], sys.argv[2], int(float(sys.argv[3]))
    runs = load(tsv)
    table(runs, max_rate)
    plot_data(runs, dat)


if __name__ == "__main__":
    main()
