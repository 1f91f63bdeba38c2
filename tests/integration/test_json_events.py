"""--json events in fields of their own, plain JSON numbers, and the send
time of offline messages in every mode (docs/CLIENT.md#json-output---json,
docs/MESSAGING.md#events)."""
import datetime
import os
import re
import time
import unittest

from harness import HubTestCase, Server
from test_files import MIB, make_file, put

EXPONENT = re.compile(r'[:\[,]-?\d+(\.\d+)?[eE][+-]?\d+')  # a number like 0E0 or 1.36E6


def utc_seconds(iso):
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def local_seconds(text):
    """The client's text form of a time (local, like the server's listings)."""
    return time.mktime(time.strptime(text, "%d %B %Y %H:%M:%S"))


class OfflineMessageTime(HubTestCase):
    def test_a_stored_message_says_when_it_was_sent_in_text_and_json(self):
        with Server() as server:
            alice = self.client(server, "alice")
            before = time.time()
            alice.command("message bob stored one", r"^bob is offline; the message is stored")
            after = time.time()
            bob = self.client(server, "bob")
            sent = bob.expect(r"^alice: stored one \(sent (.+)\)$").group(1)
            self.assertTrue(int(before) <= local_seconds(sent) <= after, (before, sent, after))
            self.assertEqual(bob.finish(), 0)

            alice.command("message bob stored two", r"^bob is offline; the message is stored")
            after = time.time()
            bob = self.client(server, "bob", json_mode=True)
            event = bob.expect_json(lambda o: o.get("event") == "message")
            self.assertEqual({k: event[k] for k in ("type", "from", "text", "stored")},
                             {"type": "event", "from": "alice", "text": "stored two", "stored": True})
            self.assertTrue(int(before) <= utc_seconds(event["time"]) <= after, (before, event, after))
            self.assertEqual(bob.finish(), 0)
            self.assertEqual(alice.finish(), 0)


class JsonEvents(HubTestCase):
    def test_events_have_fields_and_numbers_are_plain(self):
        with Server() as server:
            alice = self.client(server, "alice")
            bob = self.client(server, "bob", json_mode=True)
            alice.command("message bob hi  there", r"^Message sent to bob$")
            event = bob.expect_json(lambda o: o.get("type") == "event" and o.get("event") == "message")
            self.assertEqual((event["from"], event["text"]), ("alice", "hi  there"))
            self.assertLess(abs(utc_seconds(event["time"]) - time.time()), 60)
            alice.command("broadcast all here", r"^Broadcast sent")
            event = bob.expect_json(lambda o: o.get("event") == "broadcast")
            self.assertEqual((event["from"], event["text"]), ("alice", "all here"))

            src = os.path.join(alice.cwd, "n.bin")
            make_file(src, 2 * MIB)
            put(alice, src)
            bob.send("get n.bin")
            bob.expect_json(lambda o: o.get("type") == "downloaded")
            self.assertEqual(alice.finish(), 0)
            bob.expect_json(lambda o: o == {"type": "event", "event": "logout", "user": "alice"})
            self.assertEqual(bob.finish(), 0)
            bob.out._thread.join(10)  # everything bob printed has been read
            bob.out.drain()
            progress = [line for line in bob.out.seen if '"progress"' in line]
            self.assertTrue(progress, bob.out.seen)
            for line in bob.out.seen:
                self.assertIsNone(EXPONENT.search(line), line)


if __name__ == "__main__":
    unittest.main()
