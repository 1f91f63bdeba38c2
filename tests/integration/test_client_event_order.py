"""The client shows replies and events in the order the server sent them,
even when both arrive in one packet: the reply is printed by the command
thread, the event by the I/O thread, and an event that came behind a reply
must wait for it. (Messages stored while a device was offline used to be
able to print above its "Welcome".)"""
import os
import subprocess
import tempfile
import unittest

from harness import DEFAULT_TIMEOUT, EDGEHUB
from test_client_hostile_server import ScriptedServer


def run_client(server, stdin, json=False):
    env = dict(os.environ, EDGEHUB_PASSWORD="pw")
    args = [EDGEHUB, "--plain", "--user", "bench", *(["--json"] if json else []), "127.0.0.1", str(server.port)]
    proc = subprocess.run(args, input=stdin.encode(), cwd=tempfile.gettempdir(), env=env, capture_output=True,
                          timeout=DEFAULT_TIMEOUT)
    return proc.returncode, proc.stdout.decode(errors="replace").splitlines()


def positions(lines, *wanted):
    """Index of the first line containing each wanted text (fails if one is missing)."""
    found = []
    for text in wanted:
        hits = [i for i, line in enumerate(lines) if text in line]
        if not hits:
            raise AssertionError(f"{text!r} not in the output:\n" + "\n".join(lines))
        found.append(hits[0])
    return found


class EventOrder(unittest.TestCase):
    # Repeated: without the ordering the event usually, not always, wins
    # the race; with it, every run must come out in order.
    ROUNDS = 5

    def test_stored_messages_print_after_the_welcome(self):
        login = (b"+OK Welcome to edgehub, bench!\n!OFFLINE 2\n!MSG alice first stored\n"
                 b"!MSG bob second stored\n")
        for _ in range(self.ROUNDS):
            server = ScriptedServer(b"", login_answer=login)
            self.addCleanup(server.close)
            code, lines = run_client(server, "")
            self.assertEqual(code, 0, lines)
            welcome, offline, first, second = positions(lines, "Welcome to edgehub", "2 messages arrived while you were offline",
                                                        "alice: first stored", "bob: second stored")
            self.assertLess(welcome, offline, lines)
            self.assertLess(offline, first, lines)
            self.assertLess(first, second, lines)

    def test_an_event_behind_a_reply_prints_after_it_and_before_the_next_reply(self):
        def answer(line):
            return f"+OK answered {line}\n!MSG alice after {line}\n".encode()
        for _ in range(self.ROUNDS):
            server = ScriptedServer(b"", other_answer=answer)
            self.addCleanup(server.close)
            code, lines = run_client(server, "echo one\necho two\n")
            self.assertEqual(code, 0, lines)
            order = positions(lines, "answered echo one", "alice: after echo one", "answered echo two",
                              "alice: after echo two", "Bye, bench!")
            self.assertEqual(order, sorted(order), lines)

    def test_json_output_keeps_the_order_too(self):
        login = b"+OK Welcome to edgehub, bench!\n!MSG alice hello\n"
        for _ in range(self.ROUNDS):
            server = ScriptedServer(b"", login_answer=login)
            self.addCleanup(server.close)
            code, lines = run_client(server, "", json=True)
            self.assertEqual(code, 0, lines)
            welcome, hello = positions(lines, "Welcome to edgehub", "hello")
            self.assertLess(welcome, hello, lines)


if __name__ == "__main__":
    unittest.main()
