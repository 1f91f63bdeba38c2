"""Transfers as a person sees them (docs/CLIENT.md#progress-bars): one
progress line while transfers run, drawn above the prompt in the
interactive shell and gone when they end; with --json a last progress
event at 100% before the outcome; `get` never silently replaces a local
file; TAB completes repository names after `get`.

A running transfer is held still by freezing its peer with SIGSTOP (as in
test_uvf.py), never by hoping it is slow. The interactive client runs in a
tmux pane (test_interactive.py's Pane); skipped without tmux.
"""
import os
import re
import signal
import tempfile
import unittest

from harness import HubTestCase, Server
from test_interactive import TMUX, Pane, last_row, nonblank
from test_uvf import MB, WAIT, make_file

PERCENT = re.compile(r"\d+%")


def row_above_prompt(rows):
    filled = nonblank(rows)
    return filled[-2] if len(filled) >= 2 else ""


class JsonProgress(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)

    def events_until(self, client, kind):
        """The JSON objects up to and including the first of type kind."""
        seen = []
        client.expect_json(lambda o: seen.append(o) or o.get("type") == kind, WAIT)
        return seen

    def test_uvf_ends_with_a_progress_event_at_100_percent_on_both_sides(self):
        alice = self.client(self.server, "alice", json_mode=True)
        bob = self.client(self.server, "bob", json_mode=True)
        size = 5 * MB + 7
        make_file(os.path.join(alice.cwd, "big.bin"), size)
        alice.send("UVF bob big.bin")
        for client, what, outcome in ((alice, "UVF big.bin to bob", "uvf_sent"),
                                      (bob, "UVF big.bin from alice", "uvf_received")):
            with self.subTest(outcome=outcome):
                events = self.events_until(client, outcome)
                progress = [o for o in events if o.get("type") == "progress"]
                self.assertTrue(progress, events)
                self.assertEqual({o["what"] for o in progress}, {what})
                self.assertEqual((progress[-1]["done"], progress[-1]["total"]), (size, size))
                self.assertEqual(events[-2]["type"], "progress", "the final event comes right before the outcome")


class LocalFileIsKept(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)

    def test_get_refuses_to_replace_a_local_file_unless_told_to(self):
        alice = self.client(self.server, "alice")
        with open(os.path.join(alice.cwd, "notes.txt"), "w") as f:
            f.write("from the server\n")
        alice.command("put notes.txt", r"^Stored")
        with open(os.path.join(alice.cwd, "notes.txt"), "w") as f:
            f.write("my local edits\n")
        alice.command("get notes.txt", r"^notes\.txt already exists here; use 'get notes\.txt -f' to replace it$")
        with open(os.path.join(alice.cwd, "notes.txt")) as f:
            self.assertEqual(f.read(), "my local edits\n")
        alice.command("get notes.txt -f", r"^Downloaded notes\.txt: 16 bytes")
        with open(os.path.join(alice.cwd, "notes.txt")) as f:
            self.assertEqual(f.read(), "from the server\n")
        alice.command("get a b", r"^Usage: get NAME \[-f\]")
        self.assertEqual(alice.finish(), 5, "the refusal counts as a failed command")


@unittest.skipUnless(TMUX, "tmux is not installed (apt-get install tmux): the interactive shell is tested in a tmux pane")
class ProgressOnTheTerminal(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.server.root)

    def pane(self, name):
        pane = Pane(self.server, self.home, width=100)
        self.addCleanup(pane.close)
        pane.log_in(name, self.server.credentials[name])
        return pane

    def test_uvf_bar_above_the_prompt_then_gone_for_good(self):
        pane = self.pane("alice")
        bob = self.client(self.server, "bob")
        make_file(os.path.join(self.home, "big.bin"), 32 * MB)
        make_file(os.path.join(self.home, "small.bin"), 1000)
        pane.type("UVF bob big.bin")
        pane.key("Enter")
        bob.expect(r"^Receiving big\.bin from alice", WAIT)
        bob.stop_signal(signal.SIGSTOP)  # the transfer is running and cannot finish now
        self.addCleanup(bob.stop_signal, signal.SIGCONT)
        pane.type("echo hi")
        rows = pane.wait_for(lambda rows: row_above_prompt(rows).startswith("UVF big.bin to bob ") and
                             last_row(rows) == "alice> echo hi", "the bar right above the prompt")
        self.assertRegex(nonblank(rows)[-2], r"^UVF big\.bin to bob +\d+% \[[#.]+\] ")
        bob.stop_signal(signal.SIGCONT)
        pane.wait_text(r"^big\.bin has been uploaded$", WAIT)
        rows = pane.wait_for(lambda rows: last_row(rows) == "alice> echo hi", "the prompt")
        self.assertEqual([r for r in rows if PERCENT.search(r)], [], "the bar is gone, no milestone lines")
        pane.key("Enter")
        pane.wait_text(r"^hi ACK$")
        pane.type("put small.bin")
        pane.key("Enter")
        rows = pane.wait_text(r"^Stored 'small\.bin'")
        self.assertEqual([r for r in rows if "UVF" in r and "%" in r], [], "the finished bar came back")

    def test_receiver_shows_no_stale_line_after_the_file_arrived(self):
        pane = self.pane("bob")
        alice = self.client(self.server, "alice")
        make_file(os.path.join(alice.cwd, "big50.bin"), 20 * MB)
        alice.send("UVF bob big50.bin")
        pane.wait_text(r"^Received big50\.bin from alice$", WAIT)
        # Ctrl-D: the client waits for the received file's linger (the
        # endpoint reports it meanwhile), then logs out.
        pane.key("C-d")
        pane.wait_text(r"^Bye, bob!$", WAIT)
        rows = pane.rows()
        self.assertEqual([r for r in rows if PERCENT.search(r)], [], "\n".join(nonblank(rows)))
        self.assertEqual(alice.finish(), 0)

    def test_tab_completes_repository_names_after_get(self):
        alice = self.client(self.server, "alice")
        for name in ("report-may.pdf", "report-june.pdf", "other.txt"):
            with open(os.path.join(alice.cwd, name), "w") as f:
                f.write(name)
            alice.command(f"put {name}", r"^Stored")
        pane = self.pane("bob")
        pane.type("get oth")
        pane.key("Tab")
        pane.wait_for(lambda rows: last_row(rows) == "bob> get other.txt" and
                      pane.cursor()[0] == len("bob> get other.txt "), "the name completed, with a space")
        pane.key("C-u")
        pane.type("get -f rep")
        pane.key("Tab")
        pane.wait_last_row("bob> get -f report-")
        pane.key("Tab")
        pane.wait_for(lambda rows: nonblank(rows)[-2:] == ["report-june.pdf  report-may.pdf", "bob> get -f report-"],
                      "both names listed above the prompt")
        self.assertEqual(alice.finish(), 0)


if __name__ == "__main__":
    unittest.main()
