"""Helpers for the UDP transport integration tests: start udp_send/udp_relay,
wait for the lines they print (events, not sleeps), clean up."""
import os
import queue
import subprocess
import threading


def bench_dir():
    """Where the bench programs of this build live (EDGEHUB_BIN_DIR is the
    directory of edgehubd, build/src/app; bench tools are in build/bench)."""
    env = os.environ.get("EDGEHUB_BENCH_DIR")
    if env:
        return env
    bin_dir = os.environ.get("EDGEHUB_BIN_DIR", "")
    for cand in (os.path.join(bin_dir, "..", "..", "bench"), os.path.join(bin_dir, "..", "bench"), bin_dir):
        if os.path.exists(os.path.join(cand, "udp_send")):
            return os.path.abspath(cand)
    raise RuntimeError("udp_send not found; set EDGEHUB_BIN_DIR or EDGEHUB_BENCH_DIR")


class Proc:
    """A child process whose stdout lines are collected by a thread, so a test
    can wait for a specific line with a timeout."""

    def __init__(self, args):
        self.args = args
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self._q = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.p.stdout:
            self._q.put(line.rstrip("\n"))
        self._q.put(None)

    def wait_for(self, predicate, timeout):
        """Returns the first line (new or already seen) matching predicate."""
        for line in self.lines:
            if predicate(line):
                return line
        while True:
            try:
                line = self._q.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError("timed out waiting in %s; output so far:\n%s" % (self.args[0], "\n".join(self.lines)))
            if line is None:
                raise AssertionError("%s exited; output:\n%s" % (self.args[0], "\n".join(self.lines)))
            self.lines.append(line)
            if predicate(line):
                return line

    def finish(self, timeout):
        rc = self.p.wait(timeout=timeout)
        while True:
            line = self._q.get(timeout=timeout)
            if line is None:
                break
            self.lines.append(line)
        return rc

    def kill(self, sig=None):
        if self.p.poll() is None:
            if sig is None:
                self.p.kill()
            else:
                self.p.send_signal(sig)

    def output(self):
        return "\n".join(self.lines)


def port_of(line):
    return int(line.rsplit(":", 1)[1])


def counters(line):
    """'counters: a=1 b=2' -> {'a': 1, 'b': 2}"""
    return {k: int(v) for k, v in (kv.split("=") for kv in line.split(":", 1)[1].split())}
