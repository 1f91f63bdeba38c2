"""`get` in the background and Ctrl-C during a foreground transfer, in the
interactive shell (docs/CLIENT.md#keys, docs/FILES.md#using-it).

The server is frozen with SIGSTOP where a test needs a transfer to be "still
running", so nothing depends on speed. Skipped without tmux.
"""
import os
import re
import signal
import subprocess
import tempfile
import unittest

from harness import HubTestCase, Server, wait_until
from test_interactive import TMUX, Pane
from test_uvf import MB, WAIT, make_file


def isig_on(pane):
    """True once the shell left its prompt (which turns ISIG off) and a
    command runs: Ctrl-C is then a signal, not a key."""
    tty = pane.tmux("display", "-p", "-t", "t", "#{pane_tty}").strip()
    modes = subprocess.run(["stty", "-F", tty, "-a"], capture_output=True, text=True).stdout
    return re.search(r"(?<![-\w])isig\b", modes) is not None


@unittest.skipUnless(TMUX, "tmux is not installed (apt-get install tmux): the interactive shell is tested in a tmux pane")
class BackgroundGetAndCancel(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.server.root)

    def alice(self):
        pane = Pane(self.server, self.home, width=100)
        self.addCleanup(pane.close)
        pane.log_in("alice", self.server.credentials["alice"])
        return pane

    def freeze_server(self):
        self.server.proc.send_signal(signal.SIGSTOP)
        self.addCleanup(self.server.proc.send_signal, signal.SIGCONT)  # before the server's own cleanup

    def test_get_runs_in_the_background_and_the_prompt_stays_usable(self):
        bob = self.client(self.server, "bob")
        make_file(os.path.join(bob.cwd, "data.bin"), 3 * MB)
        bob.command("put data.bin", r"^Stored")
        pane = self.alice()
        self.freeze_server()  # the download cannot even start now
        pane.type("get data.bin")
        pane.key("Enter")
        pane.wait_text(r"^Downloading data\.bin in the background$")
        pane.wait_last_row("alice>")  # the prompt is back while the server does not answer
        pane.type("echo still here")
        pane.key("Enter")
        self.server.proc.send_signal(signal.SIGCONT)
        pane.wait_text(r"^Downloaded data\.bin: 3145728 bytes, SHA-256 verified$", WAIT)
        pane.wait_text(r"^still here ACK$")
        with open(os.path.join(bob.cwd, "data.bin"), "rb") as a, open(os.path.join(self.home, "data.bin"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertEqual([r for r in pane.rows() if "%" in r], [], "the bar went with the download")
        self.assertEqual(bob.finish(), 0)

    def test_ctrl_c_cancels_a_put_and_the_client_stays(self):
        make_file(os.path.join(self.home, "big.bin"), 8 * MB)
        pane = self.alice()
        self.freeze_server()  # the put waits for the server's go-ahead
        pane.type("put big.bin")
        pane.key("Enter")
        wait_until(lambda: isig_on(pane), what="the put running (ISIG back on)")
        pane.key("C-c")
        self.server.proc.send_signal(signal.SIGCONT)
        pane.wait_text(r"^(\^C)?put big\.bin cancelled: nothing was stored$", WAIT)  # the terminal echoes ^C
        pane.wait_last_row("alice>")
        self.assertIsNone(pane.exit_status(), "Ctrl-C ended the client")
        pane.type("list")
        pane.key("Enter")
        pane.wait_text(r"^The repository is empty$")  # nothing half-stored either


if __name__ == "__main__":
    unittest.main()
