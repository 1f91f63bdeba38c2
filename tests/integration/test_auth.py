"""Authentication (docs/PROTOCOL.md#5-logging-in): lockout per username,
unknown users answered like wrong passwords, duplicate logins refused, login
timeout, resume tokens, and the client's exit statuses and non-interactive
login."""
import os
import time
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, reply_to

WRONG = r"^-ERR 401 Invalid username or password"
BLOCKED_NOW = r"^-ERR 423 .*has been blocked"
STILL_BLOCKED = r"^-ERR 423 .*blocked"


def attempt(server, name, password):
    """One login on a fresh raw connection; returns the reply line."""
    conn = server.raw()
    try:
        conn.expect(r"^\+OK EDGEHUB/1 login")
        conn.send(f"login {name} {password}\n")
        return conn.line()
    finally:
        conn.close()


class Lockout(HubTestCase):
    def test_lockout_after_n_failures_then_lifted(self):
        with Server("--max-attempts", "2", "--block-seconds", "2") as server:
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB/1 login")
            conn.send("login alice nope\n")
            conn.expect(WRONG)
            conn.send("login alice nope-again\n")
            conn.expect(BLOCKED_NOW)
            self.assertTrue(conn.closed_by_server(), "the Nth failure closes the connection")

            # Right after: blocked even with the right password, from a new connection.
            self.assertRegex(attempt(server, "alice", "wonder1and"), STILL_BLOCKED)
            # Other names are not affected.
            bob = self.raw_login(server, "bob")
            self.assertEqual(reply_to(bob, "AED"), ["+OK no other active edge devices"])

            # The block lifts after --block-seconds: retry (bounded) until it works.
            deadline = time.monotonic() + 2 + DEFAULT_TIMEOUT
            while True:
                reply = attempt(server, "alice", "wonder1and")
                if reply.startswith("+OK Welcome"):
                    break
                self.assertRegex(reply, STILL_BLOCKED)
                self.assertLess(time.monotonic(), deadline, "block never lifted")
                time.sleep(0.2)  # pacing between retries, not synchronisation

    def test_lockout_is_per_name_from_any_address(self):
        # Failures from two different connections add up.
        with Server("--max-attempts", "3", "--block-seconds", "60") as server:
            self.assertRegex(attempt(server, "carol", "x1"), WRONG)
            self.assertRegex(attempt(server, "carol", "x2"), WRONG)
            self.assertRegex(attempt(server, "carol", "x3"), BLOCKED_NOW)
            self.assertRegex(attempt(server, "carol", "c4rol#pw"), STILL_BLOCKED)

    def test_success_resets_the_failure_count(self):
        with Server("--max-attempts", "2", "--block-seconds", "60") as server:
            self.assertRegex(attempt(server, "dave", "bad"), WRONG)
            self.assertTrue(attempt(server, "dave", "d@ve-pass").startswith("+OK Welcome"))
            self.assertRegex(attempt(server, "dave", "bad"), WRONG)  # count started afresh

    def test_unknown_user_same_answer_and_counts_towards_lockout(self):
        with Server("--max-attempts", "2", "--block-seconds", "60") as server:
            known_first = attempt(server, "alice", "wrong")
            unknown_first = attempt(server, "nobody", "wrong")
            self.assertRegex(known_first, WRONG)
            self.assertEqual(unknown_first, known_first, "no way to tell which names exist")
            known_second = attempt(server, "alice", "wrong")
            unknown_second = attempt(server, "nobody", "wrong")
            self.assertRegex(known_second, BLOCKED_NOW)
            self.assertEqual(unknown_second, known_second)
            self.assertEqual(attempt(server, "nobody", "anything"), attempt(server, "alice", "wonder1and"))

    def test_unknown_user_client_does_not_hang(self):
        # Seed bug 3: an unknown username hung at login forever.
        with Server() as server:
            client = self.client(server, "mallory", password="whatever")
            client.expect(r"Invalid username or password")
            self.assertEqual(client.wait(), 3)


class DuplicateLogin(HubTestCase):
    def test_second_login_refused_first_keeps_working(self):
        with Server() as server:
            first = self.client(server, "alice", udp_port=6200)
            bob = self.client(server, "bob")
            second = self.client(server, "alice", password="wonder1and", udp_port=6201)
            second.expect(r"alice is already logged in")
            self.assertEqual(second.wait(), 3)
            # Also refused on a raw connection, with a 409.
            raw = self.raw(server)
            raw.expect(r"^\+OK EDGEHUB")
            self.assertRegex(reply_to(raw, "login alice wonder1and")[0], r"^-ERR 409 alice is already logged in")
            # The first session still works and alice is listed once, with
            # the first session's UDP port (seed bug 2).
            first.send("echo still here")
            first.expect(r"^still here ACK$")
            aed = reply_to(self.raw_login(server, "carol"), "AED")
            alice_lines = [line for line in aed[1:] if line.startswith("alice,")]
            self.assertEqual(len(alice_lines), 1, aed)
            self.assertIn(", 6200, ", alice_lines[0])
            bob.send("AED")
            bob.expect(r"^alice, 127\.0\.0\.1, 6200, active since")
            self.assertEqual(first.finish(), 0)
            self.assertEqual(bob.finish(), 0)


class ClientLogin(HubTestCase):
    def test_exit_statuses(self):
        with Server("--max-attempts", "2", "--block-seconds", "60") as server:
            ok = self.client(server, "erin")
            self.assertEqual(ok.finish(), 0)
            wrong = self.client(server, "frank", password="nope")
            wrong.expect(r"Invalid username or password")
            self.assertEqual(wrong.wait(), 3)
            blocked_now = self.client(server, "frank", password="nope")
            blocked_now.expect(r"has been blocked")
            self.assertEqual(blocked_now.wait(), 4)
            still = self.client(server, "frank", password="fr4nk")
            still.expect(r"blocked")
            self.assertEqual(still.wait(), 4)

    def test_environment_password_and_user_option_skip_prompts(self):
        with Server() as server:
            env = dict(os.environ, EDGEHUB_PASSWORD=server.credentials["carol"])
            # Nothing but commands on stdin.
            client = self.client(server, None, extra_args=["--user", "carol"], env=env)
            client.expect(r"^Welcome to edgehub, carol!$")
            client.send("AED")
            client.expect(r"^no other active edge devices$")
            self.assertEqual(client.finish(), 0)
            # --user alone: stdin gives the password line only.
            user_only = self.client(server, None, extra_args=["--user", "bob"])
            user_only.send("bu1lder")
            user_only.expect(r"^Welcome to edgehub, bob!$")
            self.assertEqual(user_only.finish(), 0)
            # A wrong EDGEHUB_PASSWORD fails at once instead of prompting again.
            bad_env = dict(os.environ, EDGEHUB_PASSWORD="wrong")
            bad = self.client(server, None, extra_args=["--user", "dave"], env=bad_env)
            bad.expect(r"Invalid username or password")
            self.assertEqual(bad.wait(), 3)


class ClientConnection(HubTestCase):
    def test_no_server_is_exit_status_1_with_a_message(self):
        with Server() as server:
            self.assertEqual(server.stop(), 0)  # the server is gone; its port is closed
            client = self.client(server, "alice", login=False)
            client.expect(r"cannot connect to 127\.0\.0\.1:%d" % server.port)
            self.assertEqual(client.wait(), 1)


def resume_after_logout(conn, name, token):
    """resume, retrying only while the server still has the name online:
    a logout completes just after its connection closes."""
    deadline = time.monotonic() + DEFAULT_TIMEOUT
    while True:
        answer = reply_to(conn, f"resume {name} {token}")
        if not answer[0].startswith("-ERR 409") or time.monotonic() > deadline:
            return answer


class RawProtocol(HubTestCase):
    def test_person_with_nc_logs_in_and_runs_aed(self):
        with Server() as server:
            bob = self.client(server, "bob", udp_port=6301)
            conn = self.raw(server)
            self.assertRegex(conn.line(), r"^\+OK EDGEHUB/1 login .*login NAME PASSWORD")
            conn.send("login alice wonder1and 6300\r\n")  # nc -C sends CRLF
            self.assertEqual(conn.line(), "+OK Welcome to edgehub, alice!")
            self.assertRegex(conn.line(), r"^!TOKEN [0-9a-f]{64}$")
            bob.expect(r"^alice logged in$")
            conn.send("AED\n")
            self.assertEqual(conn.line(), "*1 1 other active edge device")
            self.assertRegex(conn.line(), r"^bob, 127\.0\.0\.1, 6301, active since \d{2} \w+ \d{4} \d{2}:\d{2}:\d{2}$")
            conn.send("OUT\n")
            self.assertEqual(conn.line(), "+OK Bye, alice!")
            self.assertTrue(conn.closed_by_server())
            bob.expect(r"^alice logged out$")
            self.assertEqual(bob.finish(), 0)

    def test_commands_need_login(self):
        with Server() as server:
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB")
            self.assertRegex(reply_to(conn, "AED")[0], r"^-ERR 403 ")
            self.assertRegex(reply_to(conn, "status")[0], r"^-ERR 403 ")
            self.assertRegex(reply_to(conn, "login alice")[0], r"^-ERR 400 Usage: login")
            self.assertRegex(reply_to(conn, "login alice wonder1and 70000")[0], r"^-ERR 400 UDPPORT")
            self.assertEqual(reply_to(conn, "echo before login"), ["+OK before login ACK"])
            conn.send("login alice wonder1and\n")
            conn.expect(r"^\+OK Welcome")
            self.assertRegex(reply_to(conn, "login alice wonder1and")[0], r"^-ERR 400 Already logged in as alice")

    def test_login_timeout_closes_a_silent_connection(self):
        with Server("--login-timeout", "1") as server:
            alice = self.client(server, "alice")
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB")
            conn.expect(r"^!BYE Login timed out")
            self.assertTrue(conn.closed_by_server())
            # Logged-in clients are not subject to the login timeout.
            alice.send("AED")
            alice.expect(r"^no other active edge devices$")
            self.assertEqual(alice.finish(), 0)

    def test_resume_token_is_single_use(self):
        with Server() as server:
            first = self.raw_login(server, "alice")
            token = first.token
            first.send("OUT\n")
            first.expect(r"^\+OK Bye")
            self.assertTrue(first.closed_by_server())
            again = self.raw(server)
            again.expect(r"^\+OK EDGEHUB")
            self.assertEqual(reply_to(again, f"resume bob {token}")[0][:8], "-ERR 401", "token is for alice only")
            self.assertEqual(resume_after_logout(again, "alice", token), ["+OK Welcome to edgehub, alice!"])
            new_token = again.expect(r"^!TOKEN ").split(" ", 1)[1]
            self.assertNotEqual(new_token, token)
            # While alice is online, resume answers 409 before looking at the
            # token (so a device racing its own logout keeps its token).
            third = self.raw(server)
            third.expect(r"^\+OK EDGEHUB")
            self.assertRegex(reply_to(third, f"resume alice {new_token}")[0], r"^-ERR 409 ")
            again.send("OUT\n")
            again.expect(r"^\+OK Bye")
            self.assertTrue(again.closed_by_server())
            self.assertRegex(resume_after_logout(third, "alice", token)[0], r"^-ERR 401 ", "a spent token is refused")
            self.assertEqual(reply_to(third, f"resume alice {new_token}"), ["+OK Welcome to edgehub, alice!"],
                             "the unspent token still works after the 409")


if __name__ == "__main__":
    unittest.main()
