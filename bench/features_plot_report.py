"""The table and the plot data of bench/features_plot.sh.

    python3 features_plot_report.py FEATURES_TSV DAT_OUT

FEATURES_TSV has one row per feature and anchor (the tool a user would pick
instead), both figures copied from one run in docs/BENCHMARKS.md: feature,
unit, edgehub, anchor_name, anchor, section, date, figure (which figure of
the run: "median of 7", "one run"...). Prints a Markdown table and writes
DAT_OUT for bench/features.gp: per row its position, the ratio, the bar's
colour, the axis label and the bar's label (tab-separated).

The ratio is edgehub / anchor, so that above 1 means edgehub did better.
A row whose unit is a time (TIME_UNITS) is a case where less is better:
its ratio is anchor / edgehub instead.
"""
import csv
import re
import sys

TIME_UNITS = {"s", "ms", "µs"}
# Bars where edgehub is ahead in the blue the other plots give edgehubd, behind in their red.
AHEAD, BEHIND = 0x1F77B4, 0xD62728


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def ratio(row):
    edgehub, anchor = float(row["edgehub"]), float(row["anchor"])
    return anchor / edgehub if row["unit"] in TIME_UNITS else edgehub / anchor


def shown(figure):
    """A figure as written, with thousands separators (9501 -> 9,501)."""
    return f"{int(figure):,}" if figure.isdigit() else figure


def shown_ratio(r):
    return f"{r:.1f}" if r >= 10 else f"{r:.2f}" if r >= 0.1 else f"{r:.3f}"


def slug(heading):
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def table(rows):
    print("| feature | edgehub | anchor | edgehub / anchor | from (section, run, figure) |")
    print("|---|---:|---:|---:|---|")
    for row in rows:
        unit, r = row["unit"], ratio(row)
        how = f" (time: {row['anchor_name']}'s / edgehub's)" if unit in TIME_UNITS else ""
        print(f"| {row['feature']} | {shown(row['edgehub'])} {unit} | {row['anchor_name']}: "
              f"{shown(row['anchor'])} {unit} | {shown_ratio(r)}{how} | "
              f"[{row['section']}](#{slug(row['section'])}), {row['date']}, {row['figure']} |")


def plot_data(rows, path):
    with open(path, "w") as f:
        f.write("# position\tratio\tcolour\taxis_label\tbar_label\n")
        for i, row in enumerate(rows, 1):
            r, unit = ratio(row), row["unit"]
            how = f": {row['anchor_name']}'s time / edgehub's" if unit in TIME_UNITS else ""
            bar = f"{shown(row['edgehub'])} vs {shown(row['anchor'])} {unit} ({shown_ratio(r)}x{how})"
            axis = f"{row['feature']} vs {row['anchor_name']}"
            # gnuplot drops a lone backslash from a label it reads (psql's \copy)
            axis, bar = (s.replace("\\", "\\\\") for s in (axis, bar))
            f.write(f"{i}\t{r:.6g}\t{AHEAD if r >= 1 else BEHIND}\t{axis}\t{bar}\n")


def main():
    rows = load(sys.argv[1])
    table(rows)
    plot_data(rows, sys.argv[2])


if __name__ == "__main__":
    main()
