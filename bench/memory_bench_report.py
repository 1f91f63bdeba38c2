"""The table and the plot data of bench/memory_bench.sh.

    python3 memory_bench_report.py MEMORY_TSV DAT_OUT

Prints a Markdown table (per connection count and server: the RSS added by
the idle connections, in MiB, and per connection, median, best and every
run) and writes DAT_OUT for bench/memory_bench.gp: one line per count with
the medians of edgehubd then Mosquitto (MiB added, bytes per connection;
"NaN" where a server has no valid run).
"""
import csv
import statistics
import sys
from collections import defaultdict

SERVERS = ("edgehubd", "mosquitto")


def load(path):
    runs = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["rss_per_conn"]:  # a failed run or an unreadable sample has none
                runs[(row["server"], int(row["connections"]))].append(row)
    return runs


def added_mib(row):
    return (float(row["rss_after_kib"]) - float(row["rss_before_kib"])) / 1024


def table(runs):
    print("| connections | server | RSS added, median (MiB) | B per connection, median | best | all runs |")
    print("|---:|---|---:|---:|---:|---|")
    for (server, n), rows in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        per = [int(float(r["rss_per_conn"])) for r in rows]
        print(f"| {n:,} | {server} | {statistics.median(added_mib(r) for r in rows):.1f} | "
              f"{statistics.median(per):,.0f} | {min(per):,} | {' '.join(f'{v:,}' for v in per)} |")


def plot_data(runs, path):
    counts = sorted({n for _, n in runs})
    with open(path, "w") as f:
        f.write("# connections " + " ".join(f"{s}_added_mib {s}_bytes_per_conn" for s in SERVERS) + "\n")
        for n in counts:
            cells = []
            for server in SERVERS:
                rows = runs.get((server, n))
                if rows:
                    cells += [f"{statistics.median(added_mib(r) for r in rows):.2f}",
                              f"{statistics.median(float(r['rss_per_conn']) for r in rows):.0f}"]
                else:
                    cells += ["NaN", "NaN"]
            f.write(f"{n} {' '.join(cells)}\n")


def main():
    runs = load(sys.argv[1])
    table(runs)
    plot_data(runs, sys.argv[2])


if __name__ == "__main__":
    main()
