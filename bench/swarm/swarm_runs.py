#!/usr/bin/env python3
"""Runs the swarm benchmark's cases (docs/BENCHMARKS.md#swarm-download) on
the namespaces bench/swarm/netns.sh made, edgehub and aria2 interleaved,
and writes every run to a JSON file that report.py and plot.py read.

  swarm_runs.py --prefix P --work DIR --source FILE --bin BUILD/src/app
                --out results.json [--quick] [--runs N] [--tools edgehub,aria2]
                [--cases 1x100,kill]

The caller (bench/swarm_bench.sh) owns the namespaces and their cleanup."""
import argparse
import filecmp
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aria2_side import Aria2Swarm  # noqa: E402
from edgehub_side import EdgehubSwarm  # noqa: E402
from procs import Procs  # noqa: E402
from torrent_info import info_hash, seeders_known  # noqa: E402

# name, uplinks in Mbit/s, the seeder killed at half of the ideal time (or None)
CASES = [("1x100", [100], None), ("2x100", [100] * 2, None), ("4x100", [100] * 4, None),
         ("8x100", [100] * 8, None), ("unequal", [200, 100, 50, 25], None), ("kill", [100] * 4, 1)]
QUICK_CASES = ["2x100", "unequal", "kill"]


def ideal_seconds(size, rates, kill):
    """Wall time at exactly the summed uplink; with a seeder killed at half
    of the full-capacity time, the rest at the capacity that remains."""
    full = size * 8 / (sum(rates) * 1e6)
    if kill is None:
        return full
    return full / 2 + (size / 2) * 8 / ((sum(rates) - rates[kill - 1]) * 1e6)


def hash_seconds_per_gib(algorithm):
    """One core's time to hash a GiB (openssl speed, 1 MiB blocks): the
    floor of a downloader's CPU that checks every byte with it (edgehub:
    SHA-256, BitTorrent v1: SHA-1)."""
    out = subprocess.run(["openssl", "speed", "-evp", algorithm, "-bytes", "1048576", "-seconds", "2"],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith(algorithm):
            return round((1 << 30) / (float(line.split()[1].rstrip("k")) * 1000), 3)
    return None


def machine():
    cpuinfo = open("/proc/cpuinfo").read()
    model = next((l.split(":", 1)[1].strip() for l in cpuinfo.splitlines() if l.startswith("model name")), "?")
    flags = set(next((l.split(":", 1)[1].split() for l in cpuinfo.splitlines() if l.startswith("flags")), []))
    return {"cpu": model, "cores": os.cpu_count(), "flags": [f for f in ("sha_ni", "aes", "avx2") if f in flags],
            "kernel": platform.release(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "sha256_s_per_gib": hash_seconds_per_gib("sha256"), "sha1_s_per_gib": hash_seconds_per_gib("sha1")}


class Runner:
    def __init__(self, args, procs, tools):
        self.args = args
        self.procs = procs
        self.tools = tools
        self.size = os.path.getsize(args.source)
        self.dl_root = os.path.join(args.work, "dl")

    def set_rates(self, rates):
        for i in range(1, 9):
            rate = f"{rates[i - 1]}mbit" if i <= len(rates) else "off"
            subprocess.run(["bash", "-c", f"source {HERE}/netns.sh && swarm_net_rate {self.args.prefix} {i} {rate}"],
                           check=True)

    def wait_aria2_seeders(self, tool, count, timeout=30):
        digest = info_hash(tool.torrent)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if seeders_known(self.args.prefix, f"http://10.77.0.1:6969/announce", digest) >= count:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the tracker knows fewer than {count} aria2 seeders after {timeout} s")

    def ensure_seeders(self, tool, rates):
        for i in range(1, len(rates) + 1):
            if i not in tool.seeders:
                tool.start_seeder(i)
        if tool.name == "aria2":
            self.wait_aria2_seeders(tool, len(rates))

    def one_run(self, tool, name, rates, kill, ideal):
        self.ensure_seeders(tool, rates)
        dl_dir = os.path.join(self.dl_root, tool.name)
        shutil.rmtree(dl_dir, ignore_errors=True)
        os.makedirs(dl_dir)
        events = []
        if kill is not None:
            half = self.size * 8 / (sum(rates) * 1e6) / 2
            events.append((half, lambda: tool.kill_seeder(kill)))
        load = os.getloadavg()[0]
        result = tool.download(dl_dir, timeout=max(60.0, 10 * ideal), events=events)
        result["load"] = load
        if result["ok"]:
            result["identical"] = filecmp.cmp(result["output"], self.args.source, shallow=False)
            result["ok"] = result["identical"]
        del result["output"]
        shutil.rmtree(dl_dir, ignore_errors=True)
        wall = result.get("wall")
        print(f"  {name} {tool.name}: " + (f"{wall:.2f} s, CPU {result.get('cpu', 0):.2f} s, load {load:.1f}"
                                           if result["ok"] else f"FAILED {result}"), flush=True)
        return result

    def run_case(self, name, rates, kill):
        ideal = ideal_seconds(self.size, rates, kill)
        print(f"== {name}: uplinks {rates} Mbit/s" + (f", seeder {kill} killed at half-time" if kill else "") +
              f"; ideal {ideal:.2f} s", flush=True)
        self.set_rates(rates)
        case = {"name": name, "rates": rates, "kill": kill, "ideal": ideal, "runs": {t.name: [] for t in self.tools}}
        live = []
        for tool in self.tools:
            try:
                tool.prepare_case(f"swarmbench-{name}")
                self.ensure_seeders(tool, rates)
                live.append(tool)
            except RuntimeError as e:  # e.g. a client without the swarm commands
                print(f"  {name} {tool.name}: skipped: {e}", flush=True)
                case.setdefault("skipped", {})[tool.name] = str(e)
                tool.stop_seeders()
        for r in range(self.args.runs):
            order = live if r % 2 == 0 else list(reversed(live))  # interleaved, alternating who goes first
            for tool in order:
                try:
                    case["runs"][tool.name].append(self.one_run(tool, name, rates, kill, ideal))
                except RuntimeError as e:
                    print(f"  {name} {tool.name}: {e}", flush=True)
                    case["runs"][tool.name].append({"ok": False, "error": str(e)})
        for tool in self.tools:
            tool.stop_seeders()
        return case


HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    for name in ("--prefix", "--work", "--source", "--bin", "--out"):
        ap.add_argument(name, required=name != "--bin")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tools", default="edgehub,aria2")
    ap.add_argument("--cases", default="")
    ap.add_argument("--shell-command", default="")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally below still runs
    wanted = args.cases.split(",") if args.cases else (QUICK_CASES if args.quick else [c[0] for c in CASES])
    procs = Procs(args.prefix, os.path.join(args.work, "pids"))
    tools = []
    results = {"machine": machine(), "size": os.path.getsize(args.source), "runs_per_case": args.runs,
               "command": " ".join(sys.argv), "shell_command": args.shell_command, "versions": {}, "cases": [], "skipped": {}}
    try:
        for name in args.tools.split(","):
            tool = (Aria2Swarm(procs, args.work, args.source) if name == "aria2" else
                    EdgehubSwarm(procs, args.work, args.source, args.bin))
            tool.start([f"swarmbench-{c[0]}" for c in CASES if c[0] in wanted])
            results["versions"][name] = tool.version()
            tools.append(tool)
        runner = Runner(args, procs, tools)
        for name, rates, kill in CASES:
            if name in wanted:
                results["cases"].append(runner.run_case(name, rates, kill))
                json.dump(results, open(args.out, "w"), indent=1)  # keep what is done if a later case fails
    finally:
        for tool in tools:
            tool.stop()
        procs.stop_all()
        json.dump(results, open(args.out, "w"), indent=1)


if __name__ == "__main__":
    main()
