"""Logging in again right after `+OK Bye` (docs/PROTOCOL.md#7-core-commands):
the logout is complete before Bye is sent, so the next login of the same
name, on a new connection, is never refused as "already logged in"
(issue 14, item 7)."""
import unittest

from harness import HubTestCase, Server

CYCLES = 300


class Relogin(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)

    def next_connection(self):
        conn = self.raw(self.server)
        conn.expect(r"^\+OK EDGEHUB/\d+ ")  # connected and greeted before the logout
        return conn

    def cycle(self, conn, login_line):
        """OUT on conn; as soon as Bye arrives, log in on a connection that was already open."""
        following = self.next_connection()
        conn.send("OUT\n")
        conn.expect(r"^\+OK Bye")
        following.send(login_line() + "\n")
        reply = following.expect(r"^[+-]")
        self.assertTrue(reply.startswith("+OK Welcome"), reply)
        following.token = following.expect(r"^!TOKEN ").split(" ", 1)[1]
        conn.close()
        return following

    def test_resume_right_after_bye(self):
        conn = self.raw_login(self.server, "alice")
        for _ in range(CYCLES):
            conn = self.cycle(conn, lambda c=conn: f"resume alice {c.token}")

    def test_login_right_after_bye(self):
        conn = self.raw_login(self.server, "bob")
        for _ in range(CYCLES // 3):
            conn = self.cycle(conn, lambda: f"login bob {self.server.credentials['bob']}")
        self.assertTrue(self.server.alive())


if __name__ == "__main__":
    unittest.main()
