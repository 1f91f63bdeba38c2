"""The edgehub side of the swarm benchmark (docs/BENCHMARKS.md#swarm-download):
a real edgehubd in the hub's namespace, one `edgehub` client per seeder
that runs `share FILE` and stays logged in, and a downloader client that
runs `p2pDownload NAME` (docs/CLIENT.md#batch-mode: commands on standard
input). A download is timed from the command to the renamed file."""
import json
import os
import re
import shutil
import subprocess
import time

from procs import SeederSet, timed_download

HUB_PORT = 7475
PASSWORD = "swarmbench"
SHARED = re.compile(r"\bshared\b.*\bas\b", re.IGNORECASE)


def share_outcome(log_text):
    """From a seeder's --json output (docs/CLIENT.md#json-output---json):
    (True, text) once the hub confirmed the share, (False, the error's text)
    on an error, (None, "") while neither came."""
    for line in log_text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        text = str(event.get("text", ""))
        if event.get("type") == "error" or (event.get("type") == "reply" and not event.get("ok")):
            return False, text
        if SHARED.search(text):
            return True, text
    return None, ""


class EdgehubSwarm(SeederSet):
    name = "edgehub"

    def __init__(self, procs, work, source, bin_dir):
        super().__init__(procs)
        self.work = os.path.join(work, "edgehub")
        self.source = source
        self.file_name = os.path.basename(source)
        self.bin = bin_dir
        self.hub = None
        os.makedirs(self.work, exist_ok=True)

    def client(self, user):
        return [os.path.join(self.bin, "edgehub"), "--user", user, "10.77.0.1", str(HUB_PORT)]

    def client_env(self):
        """Each bench run's hub makes a new certificate: the clients pin it
        in a known_hosts of this run's own, not the user's (where the last
        run's pin would refuse it)."""
        return {**os.environ, "EDGEHUB_PASSWORD": PASSWORD, "XDG_CONFIG_HOME": os.path.join(self.work, "config")}

    def start(self, tags):
        users = ["dl"] + [f"s{i}" for i in range(1, 9)]
        credentials = os.path.join(self.work, "credentials.txt")
        with open(credentials, "w") as f:
            f.writelines(f"{u} {PASSWORD}\n" for u in users)
        out = os.path.join(self.work, "edgehubd.out")
        self.hub = self.procs.start("hub", [os.path.join(self.bin, "edgehubd"), "--bind", "10.77.0.1", "--port",
                                            str(HUB_PORT), "--http-port", "0", "--data-dir", os.path.join(self.work, "data"),
                                            "--credentials", credentials, "--argon2-ops", "1", "--argon2-mem-kib",
                                            "64", "--log-level", "warn"],
                                    stdout=open(out, "w"), stderr=open(out + ".err", "w"))
        for _ in range(200):
            if "listening on" in open(out).read():
                return
            if self.hub.poll() is not None:
                raise RuntimeError("edgehubd exited: " + open(out + ".err").read())
            time.sleep(0.05)
        raise RuntimeError("edgehubd did not start listening")

    def version(self):
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                              cwd=self.bin).stdout.strip()  # the binaries' tree

    def prepare_case(self, tag):
        pass

    def start_seeder(self, i, timeout=120):
        """Logs in as sI in namespace sI and shares the file; returns once
        the hub confirmed (the client hashes the file first)."""
        directory = os.path.join(self.work, f"s{i}")
        os.makedirs(directory, exist_ok=True)
        held = os.path.join(directory, self.file_name)
        if not os.path.exists(held):
            os.link(self.source, held)  # share takes a name in the current directory; same inode, no copy
        log_path = os.path.join(directory, "client.log")
        log = open(log_path, "w")
        p = self.procs.start(f"s{i}", self.client(f"s{i}") + ["--json"], stdin=subprocess.PIPE, stdout=log,
                             stderr=subprocess.STDOUT, cwd=directory, text=True,
                             env=self.client_env())
        self.seeders[i] = p
        p.stdin.write(f"share {self.file_name}\n")
        p.stdin.flush()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = open(log_path).read()
            outcome, said = share_outcome(text)
            if outcome:
                return
            if p.poll() is not None or outcome is False:
                raise RuntimeError(f"edgehub seeder s{i} could not share: {said or text.strip()[-200:]}")
            time.sleep(0.05)
        raise RuntimeError(f"edgehub seeder s{i}: no answer to share within {timeout} s")

    def download(self, dl_dir, timeout, events=()):
        target = os.path.join(dl_dir, self.file_name)
        log_path = os.path.join(self.work, "downloader.log")
        log = open(log_path, "a")
        offset = log.tell()  # this run's output starts here
        # EDGEHUB_DL_WRAP="perf record -g -o F --" profiles the downloader
        wrap = os.environ.get("EDGEHUB_DL_WRAP", "").split()
        p = self.procs.start("dl", wrap + self.client("dl"), stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                             cwd=dl_dir, text=True, env=self.client_env())
        p.stdin.write(f"p2pDownload {self.file_name}\n")
        p.stdin.flush()
        result = timed_download(self.procs, p, lambda: os.path.exists(target), timeout, events)
        result["ok"] = result.get("wall") is not None and not result.get("timeout")
        result["output"] = target
        log.close()
        with open(log_path) as f:
            f.seek(offset)
            lines = [line for line in f.read().splitlines() if line.strip()]
        summary = [line for line in lines if line.startswith("Downloaded")]
        if summary:
            result["summary"] = summary[-1]  # "Downloaded NAME (SIZE) in S s from N peers: ..."
        if not result["ok"]:
            result["said"] = lines[-3:]
        return result

    def stop(self):
        self.stop_seeders()
        if self.hub:
            self.procs.stop(self.hub, grace=10.0)
            self.hub = None
        shutil.rmtree(self.work, ignore_errors=True)
