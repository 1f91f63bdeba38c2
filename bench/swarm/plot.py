#!/usr/bin/python3
"""The swarm benchmark's plot (docs/BENCHMARKS.md#swarm-download): for each
case and tool, the median wall time as a share of the ideal time (bars)
and every run (dots), with the 90 % goal. Needs Debian's python3-matplotlib
(hence /usr/bin/python3).

  plot.py RESULTS.json OUT.svg"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"edgehub": "#1f77b4", "aria2": "#ff7f0e"}


def label(case):
    rates = case["rates"]
    if case["kill"]:
        return f"{len(rates)}×{rates[0]}\ns{case['kill']} killed"
    if len(set(rates)) == 1:
        return f"{len(rates)}×{rates[0]}"
    return "/".join(map(str, rates))


def main():
    results = json.load(open(sys.argv[1]))
    plt.rcParams["svg.hashsalt"] = "edgehub-swarm-bench"  # stable ids: the SVG changes only with the data
    cases = results["cases"]
    tools = list(results["versions"])
    width = 0.8 / max(1, len(tools))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for t, tool in enumerate(tools):
        xs, medians = [], []
        for c, case in enumerate(cases):
            walls = sorted(r["wall"] for r in case["runs"].get(tool, []) if r.get("ok"))
            if not walls:
                continue
            x = c + (t - (len(tools) - 1) / 2) * width
            median = walls[len(walls) // 2] if len(walls) % 2 else (walls[len(walls) // 2 - 1] + walls[len(walls) // 2]) / 2
            xs.append(x)
            medians.append(100 * case["ideal"] / median)
            ax.scatter([x] * len(walls), [100 * case["ideal"] / w for w in walls], color="black", s=8, zorder=3)
        bars = ax.bar(xs, medians, width * 0.9, label=f"{tool} {results['versions'][tool]}", color=COLORS.get(tool))
        ax.bar_label(bars, labels=[f"{m:.0f} %" for m in medians], fontsize=7, padding=2)
    ax.axhline(90, color="gray", linestyle="--", linewidth=1, label="goal: 90 % of ideal")
    ax.set_xticks(range(len(cases)), [label(c) for c in cases])
    ax.set_xlabel("seeders × uplink (Mbit/s)")
    ax.set_ylabel("ideal time / wall time (%)")
    ax.set_ylim(0, 112)
    m = results["machine"]
    ax.set_title(f"Swarm download of {results['size'] >> 20} MiB: bars = median, dots = runs\n"
                 f"{m['date']}, {m['cores']} cores of {m['cpu']}", fontsize=10)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], metadata={"Date": None})


if __name__ == "__main__":
    main()
