#!/usr/bin/env python3
"""The swarm benchmark's table (docs/BENCHMARKS.md#swarm-download) from the
JSON that swarm_runs.py wrote.

  report.py RESULTS.json [LINKCHECK.txt]            prints Markdown
  report.py RESULTS.json [LINKCHECK.txt] --into DOC  replaces the text between
      <!-- swarm-bench:begin --> and <!-- swarm-bench:end --> in DOC"""
import json
import statistics
import sys

BEGIN, END = "<!-- swarm-bench:begin -->", "<!-- swarm-bench:end -->"
GIB = 1 << 30


def good(runs):
    return [r for r in runs if r.get("ok")]


def summary(case, tool, size):
    """median, best and all wall times, % of ideal, CPU s/GiB; None without a good run."""
    runs = good(case["runs"].get(tool, []))
    if not runs:
        return None
    walls = sorted(r["wall"] for r in runs)
    median = statistics.median(walls)
    cpus = [r["cpu"] * GIB / size for r in runs if "cpu" in r]
    users = [r["cpu_user"] * GIB / size for r in runs if r.get("cpu_user") is not None]
    syss = [r["cpu_sys"] * GIB / size for r in runs if r.get("cpu_sys") is not None]
    return {"median": median, "best": walls[0], "walls": walls, "pct": 100 * case["ideal"] / median,
            "cpu": statistics.median(cpus) if cpus else None, "failed": len(case["runs"][tool]) - len(runs),
            "split": (statistics.median(users), statistics.median(syss)) if users and syss else None}


def case_label(case):
    if case["kill"]:
        return f"{len(case['rates'])} × {case['rates'][0]}, s{case['kill']} killed at half-time"
    if len(set(case["rates"])) == 1:
        return f"{len(case['rates'])} × {case['rates'][0]}"
    return "/".join(str(r) for r in case["rates"])


def table(results):
    size = results["size"]
    tools = list(results["versions"])
    lines = ["| seeders' uplinks (Mbit/s) | ideal s | tool | median s | best s | all runs (s) | % of ideal | "
             "aria2 time / edgehub time | downloader CPU s/GiB |", "|---|---|---|---|---|---|---|---|---|"]
    for case in results["cases"]:
        aria2 = summary(case, "aria2", size)
        for tool in tools:
            s = summary(case, tool, size)
            skipped = case.get("skipped", {}).get(tool)
            if s is None:
                why = f"skipped: {skipped}" if skipped else "every run failed"
                why = " ".join(why.split()).replace("|", "\\|")[:200]
                lines.append(f"| {case_label(case)} | {case['ideal']:.2f} | {tool} | — | — | {why} | — | — | — |")
                continue
            ratio = f"{aria2['median'] / s['median']:.2f}" if aria2 and tool != "aria2" else "—"
            hung = sum(1 for r in case["runs"][tool] if r.get("hung_after_done"))
            runs = ", ".join(f"{w:.2f}" for w in s["walls"]) + (f" (+{s['failed']} failed)" if s["failed"] else "")
            runs += f" ({hung} did not exit)" if hung else ""
            cpu = f"{s['cpu']:.2f}" if s["cpu"] is not None else "—"
            if s["split"]:
                cpu += f" ({s['split'][0]:.2f} user + {s['split'][1]:.2f} sys)"
            lines.append(f"| {case_label(case)} | {case['ideal']:.2f} | {tool} | {s['median']:.2f} | "
                         f"{s['best']:.2f} | {runs} | {s['pct']:.0f} % | {ratio} | {cpu} |")
    return lines


def goals(results):
    """Issue 12's goals for edgehub, each met or not, case by case."""
    size, out = results["size"], []
    rows = [(case, summary(case, "edgehub", size), summary(case, "aria2", size)) for case in results["cases"]]
    rows = [r for r in rows if r[1]]
    if not rows:
        return ["Goals: no edgehub run succeeded, so none is met."]

    def verdict(name, misses):
        return f"- {name}: " + ("met." if not misses else "**not met**: " + "; ".join(misses) + ".")

    out.append(verdict("at least 90 % of the summed uplink (equal and unequal uplinks)",
                       [f"{case_label(c)}: {s['pct']:.0f} %" for c, s, _ in rows if not c["kill"] and s["pct"] < 90]))
    out.append(verdict("with a seeder killed, within 10 % of the ideal time for the capacity that remains",
                       [f"{s['median']:.2f} s = {s['median'] / c['ideal']:.2f} × ideal" for c, s, _ in rows
                        if c["kill"] and s["median"] > 1.1 * c["ideal"]]))
    out.append(verdict("faster than aria2 in every case (medians)",
                       [f"{case_label(c)}: {s['median']:.2f} s against {a['median']:.2f} s" for c, s, a in rows
                        if a and s["median"] >= a["median"]]))
    out.append(verdict("downloader CPU below 0.5 s per GiB",
                       [f"{case_label(c)}: {s['cpu']:.2f} s/GiB" for c, s, _ in rows
                        if s["cpu"] is not None and s["cpu"] >= 0.5]))
    return ["Goals (issue 12), from the medians above:", ""] + out


def header(results, linkcheck):
    m = results["machine"]
    v = results["versions"]
    tools = ", ".join(f"{k} {val}" for k, val in v.items())
    out = [f"Measured {m['date']} on {m['cores']} cores of \"{m['cpu']}\" (flags: {' '.join(m['flags']) or 'none'}; "
           f"kernel {m['kernel']}), a machine shared with other builds (load at each run's start is in the JSON). "
           f"File: {results['size'] / (1 << 20):.0f} MiB of random bytes in tmpfs; {results['runs_per_case']} runs "
           f"per case and tool, interleaved; {tools}.", "",
           f"Command: `{results.get('shell_command') or results['command']}`"]
    if m.get("sha256_s_per_gib"):
        out += ["", f"Hashing one GiB on one core here (openssl speed, 1 MiB blocks): SHA-256 {m['sha256_s_per_gib']:.2f} s "
                    f"(edgehub checks every chunk with it), SHA-1 {m['sha1_s_per_gib']:.2f} s (BitTorrent's pieces): "
                    f"the floor of each downloader's CPU per GiB."]
    if linkcheck:
        out += ["", f"What the shaped links carry (TCP goodput, bench/swarm/linkcheck.py, 200/100/50/25 Mbit/s "
                    f"at once): {linkcheck}."]
    return out


def render(results, linkcheck):
    plot = ["", "![Swarm download: ideal time / wall time per case](bench/swarm.svg)"]
    return "\n".join(header(results, linkcheck) + [""] + table(results) + [""] + goals(results) + plot) + "\n"


def main():
    args = [a for a in sys.argv[1:] if a != "--into"]
    into = sys.argv[sys.argv.index("--into") + 1] if "--into" in sys.argv else None
    if into:
        args.remove(into)
    results = json.load(open(args[0]))
    linkcheck = ""
    if len(args) > 1:
        rows = [l.split() for l in open(args[1]).read().splitlines() if l.strip()]
        linkcheck = ", ".join(f"{name} {float(rate):.1f}" for name, rate in rows) + " Mbit/s"
    text = render(results, linkcheck)
    if not into:
        sys.stdout.write(text)
        return
    doc = open(into).read()
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{into} has no {BEGIN} ... {END} block")
    head, rest = doc.split(BEGIN, 1)
    open(into, "w").write(head + BEGIN + "\n" + text + END + rest.split(END, 1)[1])


if __name__ == "__main__":
    main()
