"""The BitTorrent side of the swarm benchmark (docs/BENCHMARKS.md#swarm-download):
Debian's opentracker as the tracker, mktorrent for the torrent, aria2c as
every seeder and as the downloader, on the same namespaces and file as
edgehub."""
import os
import shutil
import subprocess
import time

from procs import SeederSet, timed_download
from torrent_info import info_hash

TRACKER_PORT = 6969
SEEDER_PORT = 6881
DOWNLOADER_PORT = 6991
# No DHT, local peer discovery or peer exchange: the tracker is the only
# source of peers, as the hub is for edgehub.
COMMON = ["--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
          "--console-log-level=warn", "--summary-interval=0", "--bt-max-peers=0", "--max-overall-upload-limit=0",
          "--max-overall-download-limit=0", "--bt-tracker-connect-timeout=5", "--bt-tracker-timeout=5",
          "--bt-stop-timeout=0", "--follow-torrent=false", "--auto-save-interval=0"]


class Aria2Swarm(SeederSet):
    name = "aria2"

    def __init__(self, procs, work, source):
        super().__init__(procs)
        self.work = os.path.join(work, "aria2")
        self.source = source  # the file every seeder holds
        self.file_name = os.path.basename(source)
        self.tracker = None
        self.torrent = None
        os.makedirs(self.work, exist_ok=True)

    def start(self, tags):
        """Makes a torrent for each case tag first: Debian's opentracker
        serves only the info hashes of its whitelist, read at start-up."""
        self.torrents = {tag: self.make_torrent(tag) for tag in tags}
        with open(os.path.join(self.work, "whitelist.txt"), "w") as f:
            f.writelines(info_hash(path).hex() + "\n" for path in self.torrents.values())
        os.chmod(self.work, 0o755)
        log = open(os.path.join(self.work, "opentracker.log"), "w")
        # opentracker chroots to -d and drops root for nobody.
        self.tracker = self.procs.start("hub", ["opentracker", "-i", "10.77.0.1", "-p", str(TRACKER_PORT), "-P",
                                                str(TRACKER_PORT), "-d", self.work, "-u", "nobody", "-w",
                                                "whitelist.txt"], stdout=log, stderr=subprocess.STDOUT, cwd=self.work)

    def version(self):
        return subprocess.run(["aria2c", "--version"], capture_output=True, text=True).stdout.split()[2]  # "aria2 version X"

    def make_torrent(self, tag):
        """A torrent of its own for each case (the source string changes the
        info hash), so that no peer of an earlier case is in the tracker's list."""
        path = os.path.join(self.work, f"{tag}.torrent")
        if os.path.exists(path):
            os.remove(path)
        subprocess.run(["mktorrent", "-p", "-l", "18", "-s", tag, "-a", f"http://10.77.0.1:{TRACKER_PORT}/announce",
                        "-o", path, self.source], check=True, stdout=subprocess.DEVNULL)
        return path

    def prepare_case(self, tag):
        self.torrent = self.torrents[tag]

    def start_seeder(self, i):
        directory = os.path.join(self.work, f"s{i}")
        os.makedirs(directory, exist_ok=True)
        held = os.path.join(directory, self.file_name)
        if not os.path.exists(held):
            os.link(self.source, held)  # same inode: no second copy in memory
        log = open(os.path.join(directory, "aria2c.log"), "a")
        # Seeds a file it trusts (no 256 MiB re-hash per seeder and case),
        # for ever (ratio 0.0), until stopped.
        self.seeders[i] = self.procs.start(
            f"s{i}", ["aria2c", *COMMON, f"--dir={directory}", f"--listen-port={SEEDER_PORT}", "--seed-ratio=0.0",
                      "--bt-seed-unverified=true", "--check-integrity=false", "--file-allocation=none",
                      self.torrent], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.wait_listening(i)

    def wait_listening(self, i, timeout=15.0):
        """Until seeder i accepts peers (a restarted seeder has the address
        and port the tracker already lists)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            out = subprocess.run(["ip", "netns", "exec", f"{self.procs.prefix}-s{i}", "ss", "-Hltn",
                                  f"sport = :{SEEDER_PORT}"], capture_output=True, text=True).stdout
            if out.strip():
                return
            if self.seeders[i].poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"aria2 seeder s{i} is not listening")

    def download(self, dl_dir, timeout, events=()):
        """Timed to aria2's own "download complete" hook (the file whole and
        every piece checked), as edgehub is to its renamed file; the
        process's exit (after a last tracker announce) is in exit_wall."""
        hook = os.path.join(self.work, "complete-hook.sh")
        if not os.path.exists(hook):
            with open(hook, "w") as f:
                f.write('#!/bin/sh\ntouch "$3.complete"\n')  # $3: the downloaded file's path
            os.chmod(hook, 0o755)
        target = os.path.join(dl_dir, self.file_name)
        log = open(os.path.join(self.work, "downloader.log"), "a")
        p = self.procs.start("dl", ["aria2c", *COMMON, f"--dir={dl_dir}", f"--listen-port={DOWNLOADER_PORT}",
                                    "--seed-time=0", "--file-allocation=falloc", f"--on-bt-download-complete={hook}",
                                    self.torrent], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             cwd=dl_dir)
        result = timed_download(self.procs, p, lambda: os.path.exists(target + ".complete"), timeout, events)
        result["ok"] = result.get("status") == 0 and result.get("wall") is not None and not result.get("timeout")
        result["output"] = target
        return result

    def stop(self):
        self.stop_seeders()
        if self.tracker:
            self.procs.stop(self.tracker)
            self.tracker = None
        shutil.rmtree(self.work, ignore_errors=True)
