"""Presence (docs/PROTOCOL.md#7-core-commands): AED and its aliases,
whoelsesince, status, OUT and its aliases, login/logout notifications, echo,
and --json output."""
import datetime
import json
import unittest

from harness import HubTestCase, Server, reply_to

TIME = r"(\d{2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}:\d{2})"


def parse_time(text):
    return datetime.datetime.strptime(text, "%d %B %Y %H:%M:%S")


class Presence(HubTestCase):
    def assert_recent(self, text):
        """A listing's timestamp is the server's local time of a login that
        just happened (generous bound: this checks the field, not speed)."""
        age = abs((datetime.datetime.now() - parse_time(text)).total_seconds())
        self.assertLess(age, 300, text)

    def test_two_devices_see_each_other_with_ip_port_and_time(self):
        with Server() as server:
            alice = self.client(server, "alice", udp_port=6100)
            bob = self.client(server, "bob", udp_port=6101)
            alice.expect(r"^bob logged in$")
            alice.send("AED")
            m = alice.expect(r"^bob, 127\.0\.0\.1, 6101, active since " + TIME + "$")
            self.assert_recent(m.group(1))
            bob.send("AED")
            m = bob.expect(r"^alice, 127\.0\.0\.1, 6100, active since " + TIME + "$")
            self.assert_recent(m.group(1))
            self.assertEqual(bob.finish(), 0)
            alice.expect(r"^bob logged out$")
            alice.send("AED")
            alice.expect(r"^no other active edge devices$")
            self.assertEqual(alice.finish(), 0)

    def test_aed_aliases_any_case_and_lists_only_others(self):
        with Server() as server:
            conn = self.raw_login(server, "alice", udp_port=7001)
            self.raw_login(server, "bob", udp_port=7002)
            self.raw_login(server, "carol")  # no UDP port given
            for verb in ("AED", "aed", "whoelse", "WhoElse", "who", "WHO"):
                reply = reply_to(conn, verb)
                self.assertEqual(reply[0], "*2 2 other active edge devices", verb)
                self.assertRegex(reply[1], r"^bob, 127\.0\.0\.1, 7002, active since " + TIME + "$")
                self.assertRegex(reply[2], r"^carol, 127\.0\.0\.1, -, active since ")
            self.assertRegex(reply_to(conn, "AED now")[0], r"^-ERR 400 Usage: AED")

    def test_login_and_logout_notifications_go_to_everyone_else(self):
        with Server() as server:
            alice = self.raw_login(server, "alice")
            bob = self.raw_login(server, "bob")
            alice.expect(r"^!LOGIN bob$")
            carol = self.raw_login(server, "carol")
            alice.expect(r"^!LOGIN carol$")
            bob.expect(r"^!LOGIN carol$")
            self.assertEqual(reply_to(carol, "logout"), ["+OK Bye, carol!"])
            alice.expect(r"^!LOGOUT carol$")
            bob.expect(r"^!LOGOUT carol$")
            # Nobody is told about their own login.
            self.assertEqual(reply_to(alice, "echo sync"), ["+OK sync ACK"])

    def test_out_and_its_aliases(self):
        with Server() as server:
            for verb, name in (("OUT", "alice"), ("logout", "bob"), ("exit", "carol"), ("quit", "dave"),
                               ("Quit", "erin")):
                client = self.client(server, name)
                client.send(verb)
                client.expect(f"^Bye, {name}!$")
                self.assertEqual(client.wait(), 0, verb)

    def test_whoelsesince(self):
        with Server() as server:
            alice = self.raw_login(server, "alice")
            self.raw_login(server, "bob")
            carol = self.raw_login(server, "carol")
            self.assertEqual(reply_to(carol, "OUT"), ["+OK Bye, carol!"])
            alice.expect(r"^!LOGOUT carol$")
            # Within the window: online now and offline since.
            self.assertEqual(reply_to(alice, "whoelsesince 60"),
                             ["*2 2 other edge devices in the last 60 seconds", "bob", "carol"])
            # Longer than the uptime means since start-up.
            self.assertEqual(reply_to(alice, "whoelsesince 99999999")[1:], ["bob", "carol"])
            # A zero window: only those online now.
            self.assertEqual(reply_to(alice, "whoelsesince 0")[1:], ["bob"])
            for bad in ("whoelsesince", "whoelsesince abc", "whoelsesince -5", "whoelsesince 1.5"):
                self.assertRegex(reply_to(alice, bad)[0], r"^-ERR 400 ", bad)
            self.assertEqual(reply_to(alice, "whoelsesince abc"), ["-ERR 400 SECONDS must be a non-negative integer"])
            self.assertEqual(reply_to(alice, "whoelsesince 99999999999999999999"),
                             ["-ERR 400 SECONDS is too large (any value over the uptime means since start-up)"])

    def test_whoelsesince_alone(self):
        with Server() as server:
            alice = self.raw_login(server, "alice")
            self.assertEqual(reply_to(alice, "whoelsesince 10"), ["+OK no other edge devices in the last 10 seconds"])

    def test_status_lists_every_connection_with_times(self):
        with Server() as server:
            alice = self.raw_login(server, "alice")
            bob = self.raw_login(server, "bob")
            self.assertEqual(reply_to(bob, "OUT"), ["+OK Bye, bob!"])
            alice.expect(r"^!LOGOUT bob$")
            self.raw_login(server, "bob")  # again: a second record
            reply = reply_to(alice, "status")
            self.assertEqual(reply[0], "*3 3 connections since start-up")
            self.assertRegex(reply[1], r"^alice, 127\.0\.0\.1, connected " + TIME + ", still connected$")
            self.assertRegex(reply[2], r"^bob, 127\.0\.0\.1, connected " + TIME + ", disconnected " + TIME + "$")
            self.assertRegex(reply[3], r"^bob, 127\.0\.0\.1, connected " + TIME + ", still connected$")

    def test_echo_in_normal_mode(self):
        with Server() as server:
            alice = self.client(server, "alice")
            alice.send("echo hello   there")
            alice.expect(r"^hello   there ACK$")
            alice.send("ECHO caf\u00e9")
            alice.expect("^caf\u00e9 ACK$")
            # Outside guest mode, a non-command is an error, not an echo.
            alice.send("hello there")
            alice.expect(r"^Unknown command 'hello'")
            self.assertEqual(alice.finish(), 5, "batch mode: a command failed (docs/CLIENT.md#exit-status)")

    def test_help_lists_commands(self):
        with Server() as server:
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB")
            reply = reply_to(conn, "help")
            self.assertRegex(reply[0], r"^\*\d+ ")
            text = "\n".join(reply[1:])
            for word in ("login NAME PASSWORD", "AED", "whoelsesince", "status", "OUT", "echo"):
                self.assertIn(word, text)

    def test_json_output_is_one_object_a_line(self):
        with Server() as server:
            bob = self.client(server, "bob", udp_port=6401)
            alice = self.client(server, "alice", json_mode=True)
            alice.send("AED")
            reply = alice.expect_json(lambda o: o.get("type") == "reply" and "lines" in o)
            self.assertTrue(reply["ok"])
            self.assertEqual(len(reply["lines"]), 1)
            self.assertRegex(reply["lines"][0], r"^bob, 127\.0\.0\.1, 6401, active since ")
            alice.send("whoelsesince abc")
            err = alice.expect_json(lambda o: o.get("type") == "reply")
            self.assertFalse(err["ok"])
            self.assertEqual(err["code"], 400)
            self.assertEqual(bob.finish(), 0)
            event = alice.expect_json(lambda o: o.get("type") == "event")
            self.assertEqual((event["event"], event["user"]), ("logout", "bob"))
            self.assertEqual(alice.finish(), 5, "whoelsesince abc failed (docs/CLIENT.md#exit-status)")
            # Every line the client printed, from the welcome to the Bye, is JSON.
            alice.out._thread.join(10)  # the reader has seen the end of the output
            alice.out.drain()
            self.assertGreaterEqual(len(alice.out.seen), 5)
            for line in alice.out.seen:
                self.assertIsInstance(json.loads(line), dict, line)


if __name__ == "__main__":
    unittest.main()
