"""Server modes (docs/PROTOCOL.md#4-greeting-and-modes): --guest names and
echo, --max-clients with "server full", --idle-timeout."""
import threading
import time
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, reply_to


class Guest(HubTestCase):
    def test_guest_names_and_echo(self):
        with Server("--guest") as server:
            first = self.client(server)
            first.expect(r"Welcome, you are Client01$")
            second = self.client(server)
            second.expect(r"Welcome, you are Client02$")
            first.expect(r"^Client02 logged in$")
            # Any line that is not a command comes back as TEXT ACK.
            first.send("hello edge world")
            first.expect(r"^hello edge world ACK$")
            first.send("echo explicit")
            first.expect(r"^explicit ACK$")
            # Commands still work for guests.
            second.send("AED")
            # The client gave its UDP port after the greeting (issue 13 bug 5).
            second.expect(r"^Client01, 127\.0\.0\.1, \d+, active since ")
            self.assertEqual(second.finish(), 0)
            first.expect(r"^Client02 logged out$")
            # Names are not reused while the server runs.
            third = self.client(server)
            third.expect(r"Welcome, you are Client03$")
            self.assertEqual(third.finish(), 0)
            self.assertEqual(first.finish(), 0)

    def test_guest_over_raw_connection(self):
        with Server("--guest") as server:
            conn = self.raw(server)
            self.assertEqual(conn.line(), "+OK EDGEHUB/1 guest Client01 Welcome, you are Client01")
            self.assertEqual(reply_to(conn, "just some text"), ["+OK just some text ACK"])
            self.assertRegex(reply_to(conn, "login alice wonder1and")[0], r"^-ERR 400 Already logged in as Client01")
            self.assertEqual(reply_to(conn, "whoelse"), ["+OK no other active edge devices"])


class MaxClients(HubTestCase):
    def test_server_full(self):
        with Server("--max-clients", "2") as server:
            alice = self.client(server, "alice")
            conn = self.raw_login(server, "bob")
            full = self.client(server, "carol", login=False)
            full.expect(r"Server full")
            self.assertEqual(full.wait(), 1)
            raw = self.raw(server)
            self.assertRegex(raw.line(), r"^-ERR 503 Server full")
            self.assertTrue(raw.closed_by_server())
            # Those inside are unaffected.
            alice.send("AED")
            alice.expect(r"^bob, ")
            # A place frees up when someone leaves.
            self.assertEqual(reply_to(conn, "OUT"), ["+OK Bye, bob!"])
            alice.expect(r"^bob logged out$")
            carol = self.client(server, "carol")
            carol.send("AED")
            carol.expect(r"^alice, ")
            self.assertEqual(carol.finish(), 0)
            self.assertEqual(alice.finish(), 0)

    def test_connections_not_logged_in_count_too(self):
        with Server("--max-clients", "1") as server:
            waiting = self.raw(server)
            waiting.expect(r"^\+OK EDGEHUB")
            full = self.raw(server)
            self.assertRegex(full.line(), r"^-ERR 503 ")

    def test_simultaneous_connections_never_exceed_the_limit(self):
        # Connections land on different server threads; exactly --max-clients
        # of a burst are admitted, whatever the interleaving.
        limit, threads, per_thread = 10, 4, 15
        with Server("--max-clients", str(limit), "--threads", "2") as server:
            conns, lock = [], threading.Lock()

            def burst():
                mine = [server.raw() for _ in range(per_thread)]
                with lock:
                    conns.extend(mine)

            workers = [threading.Thread(target=burst) for _ in range(threads)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            try:
                firsts = [c.line() for c in conns]
            finally:
                for c in conns:
                    c.close()
            admitted = sum(1 for line in firsts if line.startswith("+OK EDGEHUB"))
            refused = sum(1 for line in firsts if line.startswith("-ERR 503"))
            self.assertEqual(admitted, limit, firsts)
            self.assertEqual(refused, threads * per_thread - limit)

    def test_guest_with_max_clients(self):
        with Server("--guest", "--max-clients", "1") as server:
            first = self.client(server)
            first.expect(r"Client01")
            second = self.client(server)
            second.expect(r"Server full")
            self.assertEqual(second.wait(), 1)
            self.assertEqual(first.finish(), 0)


class IdleTimeout(HubTestCase):
    def test_idle_client_gets_bye_and_others_see_logout(self):
        with Server("--idle-timeout", "2") as server:
            bob = self.raw_login(server, "bob")
            events = []

            def keep_bob_active():
                """One valid command; the events that came before its reply are kept."""
                bob.send("ping\n")
                while (line := bob.line()) != "+OK pong":
                    self.assertIsNotNone(line, f"bob was disconnected; events {events}")
                    events.append(line)

            # bob stays active with valid commands from his login on, also
            # while alice's client starts (seconds on a loaded machine);
            # alice keeps receiving bob-unrelated traffic, which must not count.
            started = []
            starter = threading.Thread(target=lambda: started.append(self.client(server, "alice")))
            starter.start()
            while starter.is_alive():
                keep_bob_active()
                starter.join(0.3)
            alice = started[0]
            deadline = time.monotonic() + DEFAULT_TIMEOUT
            while True:
                keep_bob_active()
                try:
                    alice.expect(r"^Logged out after 2 seconds without a command", timeout=0.3)
                    break
                except AssertionError:
                    self.assertLess(time.monotonic(), deadline, "alice was never timed out")
            while "!LOGOUT alice" not in events:
                self.assertLess(time.monotonic(), deadline, f"bob never saw alice leave: {events}")
                keep_bob_active()
            self.assertIn("!LOGIN alice", events)
            self.assertLess(events.index("!LOGIN alice"), events.index("!LOGOUT alice"))
            self.assertEqual(reply_to(bob, "AED"), ["+OK no other active edge devices"])
            self.assertEqual(alice.finish(), 0)

    def test_invalid_commands_and_blank_lines_are_not_activity(self):
        with Server("--idle-timeout", "1") as server:
            conn = self.raw_login(server, "carol")
            deadline = time.monotonic() + DEFAULT_TIMEOUT
            while True:
                self.assertLess(time.monotonic(), deadline, "never timed out")
                try:
                    conn.send("no-such-command\n\n")
                except (BrokenPipeError, ConnectionResetError):
                    break  # closed by the server
                line = conn.line(timeout=DEFAULT_TIMEOUT)
                if line is None or line.startswith("!BYE"):
                    break
                self.assertRegex(line, r"^-ERR 400 Unknown command")
                time.sleep(0.05)  # pacing, not synchronisation


if __name__ == "__main__":
    unittest.main()
