"""Smoke test: two devices log in and see each other."""
import unittest

from harness import Server


class Smoke(unittest.TestCase):
    def test_two_devices_see_each_other(self):
        with Server() as server:
            bob = server.client("bob", udp_port=6101)
            alice = server.client("alice", udp_port=6100)
            bob.expect(r"^alice logged in$")
            alice.send("AED")
            alice.expect(r"^bob, 127\.0\.0\.1, 6101, active since \d{2} \w+ \d{4} \d{2}:\d{2}:\d{2}$")
            self.assertEqual(alice.finish(), 0)
            bob.expect(r"^alice logged out$")
            self.assertEqual(bob.finish(), 0)


if __name__ == "__main__":
    unittest.main()
