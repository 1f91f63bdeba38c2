"""Processes of the swarm benchmark (docs/BENCHMARKS.md#swarm-download):
each runs inside one node's network namespace, in a session of its own, and
is written to a pid file so that the shell wrapper's trap can kill what a
crashed run left behind."""
import os
import signal
import subprocess
import time

EXIT_GRACE = 20.0  # seconds a downloader may take to exit once its file is there

class Procs:
    def __init__(self, prefix, pidfile):
        self.prefix = prefix
        self.pidfile = pidfile
        self.live = []

    def start(self, node, argv, **popen_args):
        """Starts argv in namespace PREFIX-node (`ip netns exec` execs it, so
        the pid is argv's own)."""
        started_at = time.monotonic()
        p = subprocess.Popen(["ip", "netns", "exec", f"{self.prefix}-{node}", *argv], start_new_session=True,
                             **popen_args)
        with open(self.pidfile, "a") as f:
            f.write(f"{p.pid}\n")
        p.started_at = started_at
        self.live.append(p)
        return p

    def signal(self, p, sig):
        if p.returncode is None:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass

    def wait(self, p, timeout):
        """Waits up to timeout seconds; returns (exit status, CPU seconds of
        user + system time) or None if p is still running."""
        end = time.monotonic() + timeout
        while True:
            if p.returncode is not None:
                return p.returncode, getattr(p, "cpu_seconds", 0.0)
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                p.returncode = os.waitstatus_to_exitcode(status)
                p.cpu_seconds = usage.ru_utime + usage.ru_stime
                p.cpu_split = (usage.ru_utime, usage.ru_stime)
                return p.returncode, p.cpu_seconds
            if time.monotonic() >= end:
                return None
            time.sleep(0.01)

    def stop(self, p, grace=5.0):
        """SIGTERM, then SIGKILL after grace seconds; closes its stdin first
        (a batch client logs out at end of input)."""
        if p.stdin and not p.stdin.closed:
            try:
                p.stdin.close()
            except OSError:
                pass
        self.signal(p, signal.SIGTERM)
        if self.wait(p, grace) is None:
            self.signal(p, signal.SIGKILL)
            self.wait(p, 5.0)
        if p in self.live:
            self.live.remove(p)

    def kill(self, p):
        self.signal(p, signal.SIGKILL)
        self.wait(p, 5.0)
        if p in self.live:
            self.live.remove(p)

    def stop_all(self):
        for p in list(self.live):
            self.stop(p, grace=2.0)


class SeederSet:
    """What both tools' sides share: their running seeders by index, killed
    (the kill case) or stopped (after a run) through Procs."""

    def __init__(self, procs):
        self.procs = procs
        self.seeders = {}

    def seeders_ready(self):
        return all(p.poll() is None for p in self.seeders.values())

    def kill_seeder(self, i):
        self.procs.kill(self.seeders.pop(i))

    def stop_seeders(self):
        for i in list(self.seeders):
            self.procs.stop(self.seeders.pop(i))


def timed_download(procs, p, done, timeout, events=()):
    """Runs until done() is true (or, with done None, until p exits), firing
    each (seconds, action) of events once its time has come. Returns a dict:
    wall (s from start to done), exit_wall (to exit), status, cpu (CPU s of
    p, known once it exited), or timeout True."""
    start = p.started_at
    pending = sorted(events, key=lambda e: e[0])
    result = {}
    while True:
        now = time.monotonic() - start
        while pending and pending[0][0] <= now:
            pending.pop(0)[1]()
        if done is not None and "wall" not in result and done():
            result["wall"] = now
            if p.stdin and not p.stdin.closed:
                p.stdin.close()
        finished = procs.wait(p, 0)
        if finished is not None:
            result["exit_wall"] = now
            result["status"], result["cpu"] = finished
            result["cpu_user"], result["cpu_sys"] = getattr(p, "cpu_split", (None, None))
            result.setdefault("wall", now if done is None else None)
            if p in procs.live:
                procs.live.remove(p)
            return result
        if now > timeout or ("wall" in result and now > result["wall"] + EXIT_GRACE):
            procs.kill(p)
            # A process that delivered the file but would not exit keeps its
            # time, marked; one that never delivered it timed out.
            result["hung_after_done" if "wall" in result else "timeout"] = True
            return result
        time.sleep(0.005)
