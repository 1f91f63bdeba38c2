"""block / unblock (docs/MESSAGING.md#blocks): confirmations and errors, and
every place a block applies — presence notifications, AED, whoelsesince,
messages (online and offline), broadcasts, startprivate — persistent across
a restart, never told to the blocked user."""
import unittest

from harness import Server


class BlockCommands(unittest.TestCase):
    def test_confirmations_and_errors(self):
        with Server() as server:
            bob = server.client("bob")
            bob.command("block alice", r"^alice is blocked$")
            bob.command("block alice", r"^alice is already blocked$")
            bob.command("block bob", r"^You cannot block yourself$")
            bob.command("block nobody", r"^nobody is not a known user$")
            bob.command("unblock carol", r"^carol is not blocked$")
            bob.command("unblock nobody", r"^nobody is not a known user$")
            bob.command("unblock bob", r"^You cannot unblock yourself$")
            bob.command("unblock alice", r"^alice is unblocked$")
            bob.command("unblock alice", r"^alice is not blocked$")
            bob.command("block", r"^Usage: block USER$")
            self.assertEqual(bob.finish(), 5, "batch mode: some commands failed (docs/CLIENT.md#exit-status)")

    def test_json_error_codes(self):
        with Server() as server:
            bob = server.client("bob", json_mode=True)
            bob.send("block bob")
            self.assertEqual(bob.expect_json(lambda o: o["type"] == "reply")["code"], 400)
            bob.send("block nobody")
            self.assertEqual(bob.expect_json(lambda o: o["type"] == "reply")["code"], 404)
            bob.send("unblock alice")
            self.assertEqual(bob.expect_json(lambda o: o["type"] == "reply")["code"], 409)


class BlockRules(unittest.TestCase):
    """bob blocks alice; carol is the control who is not blocked."""

    def setUp(self):
        self.server = Server()
        self.bob = self.server.client("bob")
        self.bob.command("block alice", r"^alice is blocked$")

    def tearDown(self):
        self.server.stop()

    def test_messages_refused_online_and_offline(self):
        alice = self.server.client("alice")
        carol = self.server.client("carol")
        alice.command("message bob hi", r"^Your message could not be delivered as the recipient has blocked you$")
        self.assertEqual(self.bob.finish(), 0)
        carol.expect(r"^bob logged out$")  # alice is not told: bob blocked her
        alice.command("message bob later", r"^Your message could not be delivered as the recipient has blocked you$")
        # bob never received anything from alice, nor was anything stored.
        bob = self.server.client("bob", password=self.server.credentials["bob"])
        carol.expect(r"^bob logged in$")
        carol.command("message bob marker", r"^Message sent to bob$")
        self.assertEqual(bob.expect(r"^(\w+: |\d+ messages? arrived)").string, "carol: marker")
        # The blocker may still message the blocked user.
        bob.command("message alice from bob", r"^Message sent to alice$")
        alice.expect(r"^bob: from bob$")

    def test_blocked_user_is_not_told(self):
        alice = self.server.client("alice")
        self.bob.command("block carol", r"^carol is blocked$")
        carol = self.server.client("carol")  # logs in after the block
        self.bob.command("unblock carol", r"^carol is unblocked$")
        # alice's next line is about carol logging in, not about any block.
        self.assertEqual(alice.expect(r".").string, "carol logged in")
        carol.command("message alice marker", r"^Message sent")
        alice.expect(r"^carol: marker$")

    def test_presence_notifications_hidden_from_the_blocked(self):
        alice = self.server.client("alice")
        carol = self.server.client("carol")
        alice.expect(r"^carol logged in$")
        self.assertEqual(self.bob.finish(), 0)
        carol.expect(r"^bob logged out$")
        bob = self.server.client("bob")
        carol.expect(r"^bob logged in$")
        dave = self.server.client("dave")
        # alice saw neither bob event: her next presence line is dave's.
        self.assertEqual(alice.expect(r"logged (in|out)$").string, "dave logged in")
        # The blocked user's own presence still reaches the blocker.
        self.assertEqual(alice.finish(), 0)
        bob.expect(r"^alice logged out$")
        dave.finish()

    def test_aed_and_whoelsesince_hide_the_blocker(self):
        def listing(client, command):
            client.send(command)
            reply = client.expect_json(lambda o: o["type"] == "reply")
            return [line.split(",")[0] for line in reply.get("lines", [])]

        alice = self.server.client("alice", json_mode=True)
        carol = self.server.client("carol", json_mode=True)
        self.assertEqual(listing(alice, "AED"), ["carol"])
        self.assertEqual(listing(alice, "whoelse"), ["carol"])
        self.assertEqual(listing(alice, "whoelsesince 3600"), ["carol"])
        self.assertEqual(sorted(listing(carol, "AED")), ["alice", "bob"])
        self.assertEqual(sorted(listing(carol, "whoelsesince 3600")), ["alice", "bob"])
        # bob, the blocker, still sees alice.
        self.bob.send("AED")
        self.bob.expect(r"^alice, 127\.0\.0\.1")
        # bob offline: still hidden from alice's whoelsesince.
        self.assertEqual(self.bob.finish(), 0)
        carol.expect_json(lambda o: o.get("event") == "logout" and o["user"] == "bob")
        self.assertEqual(listing(alice, "whoelsesince 3600"), ["carol"])
        self.assertEqual(sorted(listing(carol, "whoelsesince 3600")), ["alice", "bob"])

    def test_broadcast_skips_blocker_and_tells_sender(self):
        alice = self.server.client("alice")
        carol = self.server.client("carol")
        alice.command("broadcast hello all",
                      r"^Broadcast sent to 1 device; your message could not be delivered to some recipients \(1\)$")
        carol.expect(r"^alice \(broadcast\): hello all$")
        carol.command("message bob marker", r"^Message sent")
        self.assertEqual(self.bob.expect(r"^\S+( \(broadcast\))?: ").string, "carol: marker")

    def test_startprivate_refused(self):
        alice = self.server.client("alice")
        alice.command("startprivate bob",
                      r"^Your private session request could not be delivered as the recipient has blocked you$")

    def test_block_survives_restart_and_unblock_restores(self):
        self.bob.finish()
        self.server.restart()
        alice = self.server.client("alice")
        alice.command("message bob after restart", r"^Your message could not be delivered as the recipient has blocked you$")
        bob = self.server.client("bob")
        bob.command("block alice", r"^alice is already blocked$")
        bob.command("unblock alice", r"^alice is unblocked$")
        alice.command("message bob free again", r"^Message sent to bob$")
        bob.expect(r"^alice: free again$")
        self.server.restart()
        alice = self.server.client("alice")
        alice.command("message bob still free", r"^bob is offline")


if __name__ == "__main__":
    unittest.main()
