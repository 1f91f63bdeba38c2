"""The terminal login (docs/CLIENT.md#logging-in): a refused login asks for
the name again, not only the password, and a lockout says how long it lasts
(docs/PROTOCOL.md#5-logging-in). The interactive client runs in a tmux pane
(test_interactive.py's Pane)."""
import re
import tempfile
import unittest

from harness import HubTestCase, Server
from test_auth import attempt
from test_interactive import TMUX, Pane


class LockoutWording(HubTestCase):
    def test_the_block_says_how_long_it_lasts(self):
        with Server("--max-attempts", "2", "--block-seconds", "7") as server:
            self.assertRegex(attempt(server, "alice", "x1"), r"^-ERR 401 ")
            self.assertEqual(attempt(server, "alice", "x2"),
                             "-ERR 423 Invalid password. Your account has been blocked for 7 seconds. "
                             "Please try again after that")
            still = attempt(server, "alice", "wonder1and")
            m = re.fullmatch(r"-ERR 423 Your account is blocked due to multiple login failures\. "
                             r"Please try again in (\d) seconds?", still)
            self.assertIsNotNone(m, still)
            self.assertTrue(1 <= int(m.group(1)) <= 7, still)


def started_server(test, *args):
    """A Server stopped (and its directory removed) when the test ends, after
    the panes of the test are closed: their tmux sockets live in it, and a
    pane left open keeps its tmux server, and a reconnecting client, alive."""
    server = Server(*args)
    test.addCleanup(server.__exit__, None, None, None)
    return server


def pane_for(test, server, *args):
    """An interactive client of server in a tmux pane, closed when the test
    ends (before a server from started_server)."""
    pane = Pane(server, tempfile.mkdtemp(prefix="home-", dir=server.root), args=args)
    test.addCleanup(pane.close)
    return pane


@unittest.skipUnless(TMUX, "tmux is not installed: the terminal login is tested in a tmux pane")
class TerminalLogin(HubTestCase):
    def test_a_refused_login_asks_for_the_name_again(self):
        server = started_server(self)
        pane = pane_for(self, server)
        pane.wait_text(r"^Username:$")
        pane.type("alcie")  # the name mistyped: only asking for it again can fix it
        pane.key("Enter")
        pane.wait_text(r"^Password:$")
        pane.type(server.credentials["alice"])
        pane.key("Enter")
        pane.wait_text(r"^Invalid username or password\. Please try again$")
        pane.wait_last_row("Username:")
        pane.type("alice")
        pane.key("Enter")
        pane.wait_for(lambda rows: rows.count("Password:") == 2, "the second password question")
        pane.type(server.credentials["alice"])
        pane.key("Enter")
        pane.wait_last_row("alice>")
        self.assertEqual(pane.rows().count("Welcome to edgehub, alice!"), 1)


if __name__ == "__main__":
    unittest.main()
