"""Messaging (docs/MESSAGING.md): direct messages online and offline, durable
offline storage across kill -9, exactly-once in-order delivery, limits, and
broadcast to many users with blocks in place."""
import re
import unittest

from harness import Server


def login(server, user):
    """Logs user in without waiting for the welcome line: the client prints
    events (stored messages arriving) as they come, possibly before it prints
    the login reply, and expect() would skip them."""
    return server.client(user, password=server.credentials[user])


def marker_sync(sender, receiver, name):
    """Sends a marker message and waits until the receiver shows it: proof that
    everything the server sent the receiver before it has been printed."""
    sender.command(f"message {receiver.user} marker-{name}", r"^Message sent to")
    receiver.expect(rf"^{sender.user}: marker-{name}$")


class DirectMessages(unittest.TestCase):
    def test_online_delivery_and_errors(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            alice.command("message bob hello there  bob", r"^Message sent to bob$")
            bob.expect(r"^alice: hello there  bob$")
            alice.command("msg bob via alias", r"^Message sent to bob$")
            bob.expect(r"^alice: via alias$")
            alice.command("message alice me", r"^You cannot send a message to yourself$")
            alice.command("message nobody hi", r"^nobody is not a known user$")
            alice.command("message bob", r"^Usage: message USER TEXT$")
            self.assertEqual(alice.finish(), 5, "batch mode: some commands failed (docs/CLIENT.md#exit-status)")
            self.assertEqual(bob.finish(), 0)

    def test_json_mode_shows_event(self):
        with Server() as server:
            bob = server.client("bob", json_mode=True)
            alice = server.client("alice")
            alice.command("message bob hi json", r"^Message sent to bob$")
            event = bob.expect_json(lambda o: o.get("type") == "event" and o.get("event") == "message")
            self.assertEqual((event["from"], event["text"]), ("alice", "hi json"))
            self.assertRegex(event["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertNotIn("stored", event)

    def test_message_size_limit_is_a_clear_error(self):
        with Server() as server:
            bob = server.client("bob")
            alice = server.client("alice")
            alice.command("message bob " + "x" * 2049, r"^Message too long: 2049 bytes; the limit is 2048 bytes")
            alice.command("message bob " + "y" * 2048, r"^Message sent to bob$")
            bob.expect(r"^alice: y{2048}$")


class OfflineMessages(unittest.TestCase):
    def test_offline_delivered_in_order_exactly_once(self):
        with Server() as server:
            alice = server.client("alice")
            for i in range(5):
                alice.command(f"message bob offline {i}", r"^bob is offline; the message is stored")
            bob = login(server, "bob")
            bob.expect(r"^5 messages arrived while you were offline$")
            for i in range(5):
                bob.expect(rf"^alice: offline {i} \(sent [^)]+\)$")
            # Online again: a new message goes straight through.
            marker_sync(alice, bob, "online")
            self.assertEqual(bob.finish(), 0)
            # Next login: nothing is delivered twice (the marker comes first).
            bob = login(server, "bob")
            alice.expect(r"^bob logged in$")
            alice.command("message bob after-relogin", r"^Message sent to bob$")
            m = bob.expect(r"^(alice: .*|\d+ messages? arrived.*)$")
            self.assertEqual(m.group(0), "alice: after-relogin")

    def test_one_thousand_survive_kill9(self):
        with Server() as server:
            alice = server.client("alice")
            for i in range(1000):
                alice.send(f"message bob durable {i:04d}")
            for i in range(1000):
                alice.expect(r"^bob is offline; the message is stored")
            # Right after the last acknowledgement: no clean shutdown.
            server.kill9()
            alice.kill9()
            server.start()
            bob = login(server, "bob")
            bob.expect(r"^1000 messages arrived while you were offline$")
            for i in range(1000):
                bob.expect(rf"^alice: durable {i:04d} \(sent [^)]+\)$", timeout=30)
            # Exactly those: the next message bob sees is a fresh marker.
            carol = server.client("carol")
            carol.command("message bob done", r"^Message sent to bob$")
            self.assertEqual(bob.expect(r"^\w+: ").string, "carol: done")

    def test_offline_queue_bound(self):
        with Server("--max-offline", "3") as server:
            alice = server.client("alice")
            for i in range(3):
                alice.command(f"message bob q{i}", r"^bob is offline")
            alice.command("message bob q3", r"^bob already has 3 messages waiting, the most the server keeps; message not stored$")
            alice.command("message carol other", r"^carol is offline")  # the bound is per recipient
            bob = login(server, "bob")
            for i in range(3):
                bob.expect(rf"^alice: q{i} \(sent [^)]+\)$")
            self.assertEqual(bob.finish(), 0)
            # Delivered messages were removed: the queue has room again.
            alice.command("message bob q4", r"^bob is offline")

    def test_messages_stored_before_login_and_sent_after_keep_order(self):
        with Server() as server:
            alice = server.client("alice")
            carol = server.client("carol")
            alice.command("message bob first", r"^bob is offline")
            carol.command("message bob second", r"^bob is offline")
            bob = login(server, "bob")
            bob.expect(r"^alice: first \(sent [^)]+\)$")
            bob.expect(r"^carol: second \(sent [^)]+\)$")


class Broadcast(unittest.TestCase):
    def test_broadcast_to_many_with_blocks(self):
        names = [f"user{i:02d}" for i in range(16)]
        credentials = {n: f"pw-{n}" for n in names}
        with Server(credentials=credentials) as server:
            clients = {n: server.client(n) for n in names}
            sender = clients["user00"]
            # user03 and user07 block the sender; user05 blocks someone else.
            clients["user03"].command("block user00", r"^user00 is blocked$")
            clients["user07"].command("block user00", r"^user00 is blocked$")
            clients["user05"].command("block user01", r"^user01 is blocked$")
            sender.command("broadcast hello everyone",
                           r"^Broadcast sent to 13 devices; your message could not be delivered to some recipients \(2\)$")
            for n in names[1:]:
                if n in ("user03", "user07"):
                    continue
                clients[n].expect(r"^user00 \(broadcast\): hello everyone$")
            # The blocked ones got nothing: their next message line is a marker.
            for n in ("user03", "user07"):
                clients["user01"].command(f"message {n} marker", r"^Message sent")
                self.assertEqual(clients[n].expect(r"^\S+( \(broadcast\))?: ").string, "user01: marker")
            # Unblocked: everyone, and the sender is told nothing was skipped.
            clients["user03"].command("unblock user00", r"^user00 is unblocked$")
            clients["user07"].command("unblock user00", r"^user00 is unblocked$")
            sender.command("broadcast again", r"^Broadcast sent to 15 devices$")
            for n in names[1:]:
                clients[n].expect(r"^user00 \(broadcast\): again$")
            for c in clients.values():
                self.assertEqual(c.finish(), 0)

    def test_broadcast_alone(self):
        with Server() as server:
            alice = server.client("alice")
            alice.command("broadcast anyone?", r"^Broadcast sent to 0 devices$")
            alice.command("broadcast " + "z" * 3000, r"^Message too long")


if __name__ == "__main__":
    unittest.main()
