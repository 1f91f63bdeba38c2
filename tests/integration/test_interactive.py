"""The interactive client as a person uses it: the real edgehub in a real
terminal (a tmux pane), typing keys and reading the screen.

A terminal offers no event to wait on, so the screen is polled (every 50 ms,
bounded by the harness timeout) until it shows what is expected.
Skipped when tmux is not installed.
"""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import DEFAULT_TIMEOUT, EDGEHUB, HubTestCase, Server

TMUX = shutil.which("tmux")
POLL_SECONDS = 0.05


class Pane:
    """One edgehub client in a tmux pane on a private tmux server."""

    def __init__(self, server, home, width=80, height=24, extra_env=None, args=()):
        self.home = home
        self.socket = os.path.join(home, f"tmux-{id(self)}.sock")  # removed with the test's temp dir
        conf = os.path.join(home, "tmux.conf")
        with open(conf, "w") as f:
            f.write("set -g remain-on-exit on\nset -g status off\n")
        env = {"HOME": home, "LANG": "C.UTF-8", **(extra_env or {})}
        command = ["env", *(f"{k}={v}" for k, v in env.items()), EDGEHUB, *args, "127.0.0.1", str(server.port)]
        # The shell reports the exit status on screen: tmux's own pane_dead
        # sometimes misses the exit of a pane's process (a lost SIGCHLD).
        self.tmux("-f", conf, "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), "-c", home,
                  shlex.join(command) + '; echo "[edgehub exited: $?]"')

    def tmux(self, *args):
        out = subprocess.run([TMUX, "-S", self.socket, *args], capture_output=True, timeout=DEFAULT_TIMEOUT)
        if out.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {out.stderr.decode(errors='replace')}")
        return out.stdout.decode("utf-8", "replace")

    def type(self, text):
        self.tmux("send-keys", "-t", "t", "-l", text)

    def key(self, *names):
        self.tmux("send-keys", "-t", "t", *names)

    def rows(self):
        """The screen, one string per row, trailing spaces removed."""
        return [r.rstrip() for r in self.tmux("capture-pane", "-p", "-t", "t").split("\n")]

    def text(self):
        return "\n".join(r for r in self.rows() if r)

    def cursor(self):
        x, y = self.tmux("display", "-p", "-t", "t", "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def exit_status(self):
        """None while the client runs, then its exit status."""
        m = re.search(r"^\[edgehub exited: (\d+)\]$", "\n".join(self.rows()), re.M)
        return int(m.group(1)) if m else None

    def wait_for(self, predicate, what, timeout=DEFAULT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.rows()
            if predicate(rows):
                return rows
            time.sleep(POLL_SECONDS)
        raise AssertionError(f"timed out waiting for {what}; screen:\n" + self.text())

    def wait_text(self, pattern, timeout=DEFAULT_TIMEOUT):
        regex = re.compile(pattern, re.M)
        return self.wait_for(lambda rows: regex.search("\n".join(rows)), f"/{pattern}/", timeout)

    def wait_screen(self, expected):
        """Waits until the non-blank rows are exactly expected."""
        return self.wait_for(lambda rows: nonblank(rows) == expected, f"the screen {expected}")

    def wait_last_row(self, expected):
        """Waits until the last non-empty row is exactly expected (the prompt
        row, when nothing is printed below it)."""
        return self.wait_for(lambda rows: last_row(rows) == expected, f"last row {expected!r}")

    def wait_exit(self):
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while time.monotonic() < deadline:
            status = self.exit_status()
            if status is not None:
                return status
            time.sleep(POLL_SECONDS)
        raise AssertionError("the client did not exit; screen:\n" + self.text())

    def log_in(self, name, password):
        self.wait_text(r"^Username:$")  # rows lose their trailing space
        self.type(name)
        self.key("Enter")
        self.wait_text(r"^Password:$")
        self.type(password)
        self.key("Enter")
        self.wait_last_row(f"{name}>")
        self.wait_for(lambda rows: self.editing(), "the line editor reading keys")

    def editing(self):
        """Whether the client's line editor is reading: its terminal is out
        of canonical mode, without echo. The prompt shows a moment before
        that; keys typed in between are echoed by the terminal driver and
        again by the editor, so the screen shows them twice (a test that
        typed "whoel" then Tab saw "alice> whoelseoel" under ASan)."""
        tty = self.tmux("display", "-p", "-t", "t", "#{pane_tty}").strip()
        modes = subprocess.run(["stty", "-a", "-F", tty], capture_output=True, text=True, timeout=DEFAULT_TIMEOUT)
        flags = modes.stdout.replace(";", " ").split()
        return "-icanon" in flags and "-echo" in flags

    def close(self):
        subprocess.run([TMUX, "-S", self.socket, "kill-server"], capture_output=True, timeout=DEFAULT_TIMEOUT)


WELCOME = ["Username: alice", "Password:", "Welcome to edgehub, alice!"]


def nonblank(rows):
    return [r for r in rows if r]


def last_row(rows):
    filled = nonblank(rows)
    return filled[-1] if filled else ""


def row_index(rows, text):
    """Index of the last row equal to text."""
    matches = [i for i, r in enumerate(rows) if r == text]
    if not matches:
        raise AssertionError(f"no row {text!r} on screen:\n" + "\n".join(r for r in rows if r))
    return matches[-1]


@unittest.skipUnless(TMUX, "tmux is not installed (apt-get install tmux): the interactive shell is tested in a tmux pane")
class InteractiveShell(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.stop_server)
        self.home = tempfile.mkdtemp(prefix="home-", dir=self.server.root)

    def stop_server(self):
        self.server.__exit__(None, None, None)
        self.server.out._thread.join(DEFAULT_TIMEOUT)  # it reads stdout until EOF
        self.server.proc.stdout.close()

    def pane(self, **kwargs):
        pane = Pane(self.server, self.home, **kwargs)
        self.addCleanup(pane.close)
        return pane

    def alice(self, **kwargs):
        pane = self.pane(**kwargs)
        pane.log_in("alice", self.server.credentials["alice"])
        return pane

    def test_notification_prints_above_the_half_typed_line(self):
        pane = self.alice()
        self.assertNotIn(self.server.credentials["alice"], pane.text(), "the password was echoed")
        pane.type("echo hello wor")
        pane.wait_last_row("alice> echo hello wor")

        bob = self.client(self.server, "bob")  # a batch client: alice is told
        pane.wait_text(r"^bob logged in$")
        # Above the prompt, nothing garbled, nothing stale (once the redraw is done).
        rows = pane.wait_screen(WELCOME + ["bob logged in", "alice> echo hello wor"])
        self.assertEqual(pane.cursor(), (len("alice> echo hello wor"), row_index(rows, "alice> echo hello wor")),
                         "the cursor moved")

        pane.type("ld")
        pane.key("Enter")
        rows = pane.wait_text(r"^hello world ACK$")
        self.assertEqual(rows[row_index(rows, "hello world ACK") - 1], "alice> echo hello world")
        self.assertEqual(bob.finish(), 0)
        pane.wait_text(r"^bob logged out$")

    def test_wrapped_line_and_cursor_survive_notifications(self):
        pane = self.alice(width=40)
        typed = "echo " + "x" * 50 + "yz"  # 7 + 57 columns: two rows of a 40-column terminal
        pane.type(typed)
        first, second = ("alice> " + typed)[:40], ("alice> " + typed)[40:]
        pane.wait_last_row(second)

        bob = self.client(self.server, "bob")  # the cursor is on the second row
        pane.wait_text(r"^bob logged in$")
        rows = pane.wait_screen(WELCOME + ["bob logged in", first, second])  # nothing stale
        self.assertEqual(pane.cursor(), (len(second), row_index(rows, second)))

        pane.key("C-a")  # the cursor to the first row
        pane.wait_for(lambda rows: pane.cursor()[0] == len("alice> "), "cursor at the start of the line")
        self.assertEqual(bob.finish(), 0)
        pane.wait_text(r"^bob logged out$")
        rows = pane.wait_screen(WELCOME + ["bob logged in", "bob logged out", first, second])
        self.assertEqual(pane.cursor(), (len("alice> "), row_index(rows, first)))

        pane.key("End")
        pane.key("Enter")
        pane.wait_text(r"^xx+yz ACK$")

    def test_tab_completes_commands_and_device_names(self):
        pane = self.alice()
        pane.type("whoel")
        pane.key("Tab")
        pane.wait_last_row("alice> whoelse")  # as far as whoelse and whoelsesince agree
        pane.key("Tab")  # no further: both are listed above the prompt
        pane.wait_for(lambda rows: nonblank(rows)[-2:] == ["whoelse       whoelsesince", "alice> whoelse"],
                      "the list above the prompt")
        pane.type("since 60")
        pane.key("Enter")
        pane.wait_text(r"^no other edge devices in the last 60 seconds$")

        bob = self.client(self.server, "bob")
        pane.wait_text(r"^bob logged in$")
        pane.type("msg b")
        pane.key("Tab")
        pane.wait_for(lambda rows: last_row(rows) == "alice> msg bob" and pane.cursor()[0] == len("alice> msg bob "),
                      "the name completed, with a space")
        pane.key("C-c")  # abandons the line; the client stays
        rows = pane.wait_last_row("alice>")
        self.assertIn("alice> msg bob ^C", rows)
        pane.type("echo still here")
        pane.key("Enter")
        pane.wait_text(r"^still here ACK$")
        self.assertIsNone(pane.exit_status())
        self.assertEqual(bob.finish(), 0)

    def test_history_is_kept_across_sessions_without_passwords_and_ctrl_d_logs_out(self):
        pane = self.alice()
        for line in ("echo one", "echo two"):
            pane.type(line)
            pane.key("Enter")
            pane.wait_text(f"^{line[5:]} ACK$")
        pane.key("Up")
        pane.wait_last_row("alice> echo two")
        pane.key("Up")
        pane.wait_last_row("alice> echo one")
        pane.key("C-c")
        pane.wait_last_row("alice>")
        pane.key("C-d")  # end of input: a clean logout
        pane.wait_text(r"^Bye, alice!$")
        self.assertEqual(pane.wait_exit(), 0)

        history = os.path.join(self.home, ".edgehub_history")
        with open(history) as f:
            self.assertEqual(f.read().splitlines(), ["echo one", "echo two"])  # no username, no password
        self.assertEqual(os.stat(history).st_mode & 0o777, 0o600)

        again = self.alice()  # a new session remembers
        again.key("Up")
        again.wait_last_row("alice> echo two")

    def test_the_prompt_ends_when_the_server_goes_away(self):
        pane = self.alice()
        pane.type("half typed")
        pane.wait_last_row("alice> half typed")
        self.server.kill9()
        pane.wait_text(r"^Connection to the server closed$")
        # It tries to come back (test_reconnect.py) until Ctrl-C ends it; the
        # pane is closed with the test.
        pane.wait_text(r"^Reconnecting to 127\.0\.0\.1:\d+ \(Ctrl-C to quit\)$")
        self.assertIn("alice> half typed", pane.rows())


if __name__ == "__main__":
    unittest.main()
