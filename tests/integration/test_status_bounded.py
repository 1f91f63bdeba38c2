"""`status [N]` is bounded (docs/PROTOCOL.md#7-core-commands, docs/CLIENT.md#status):
the last N connections, 50 unless given, under a header that says how many
there are in all (issue 14, item 9)."""
import re
import unittest

from harness import HubTestCase, Server, reply_to

TIME = r"\d{2} \w+ \d{4} \d{2}:\d{2}:\d{2}"
LOGINS = 60  # bob's, each ended; alice's stays open: 61 records


class StatusBounded(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.alice = self.raw_login(self.server, "alice")
        for _ in range(LOGINS):
            bob = self.raw_login(self.server, "bob")
            self.assertEqual(reply_to(bob, "OUT"), ["+OK Bye, bob!"])
            bob.close()

    def test_default_is_the_last_50_with_the_total(self):
        reply = reply_to(self.alice, "status")
        self.assertEqual(reply[0], f"*50 last 50 of {LOGINS + 1} connections since start-up")
        self.assertEqual(len(reply), 51)
        for line in reply[1:]:
            self.assertRegex(line, r"^bob, 127\.0\.0\.1, connected " + TIME + ", disconnected " + TIME + "$")

    def test_n_chooses_how_many(self):
        reply = reply_to(self.alice, "status 2")
        self.assertEqual(reply[0], f"*2 last 2 of {LOGINS + 1} connections since start-up")
        self.assertEqual(len(reply), 3)
        everything = reply_to(self.alice, "status 1000")
        self.assertEqual(everything[0], f"*{LOGINS + 1} {LOGINS + 1} connections since start-up")
        self.assertRegex(everything[1], r"^alice, .*still connected$")  # oldest first
        self.assertEqual(everything[-2:], reply[1:], "status 2 shows the newest two")
        for bad in ("status 0", "status -1", "status x"):
            self.assertEqual(reply_to(self.alice, bad),
                             ["-ERR 400 N must be a positive integer (status [N]: the last N connections)"])

    def test_client_prints_the_header_above_the_lines(self):
        carol = self.client(self.server, "carol")
        carol.send("status 1")
        carol.expect(r"^last 1 of {} connections since start-up$".format(LOGINS + 2))
        carol.expect(r"^carol, 127\.0\.0\.1, connected " + TIME + ", still connected$")
        carol.send("status")
        carol.expect(r"^last 50 of {} connections since start-up$".format(LOGINS + 2))
        self.assertEqual(carol.finish(), 0)


if __name__ == "__main__":
    unittest.main()
