"""Batch mode's end (docs/CLIENT.md#batch-mode, docs/CLIENT.md#exit-status):
input that ends before the login is a usage error said on stderr; the exit
status says whether any command failed; --stop-on-error stops at the first
failure, like psql's ON_ERROR_STOP."""
import os
import subprocess

from harness import DEFAULT_TIMEOUT, EDGEHUB, HubTestCase, Server

USAGE, COMMAND_FAILED = 2, 5


def batch(server, text, *args, env=None):
    """Runs the client in batch mode on text; returns (status, stdout, stderr)."""
    proc = subprocess.run([EDGEHUB, *args, "127.0.0.1", str(server.port)], input=text.encode(),
                          capture_output=True, timeout=DEFAULT_TIMEOUT, env=env, cwd=server.root)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


class ShortInput(HubTestCase):
    def test_no_input_at_all(self):
        with Server() as server:
            status, out, err = batch(server, "")
            self.assertEqual((status, err), (USAGE, "edgehub: end of input before the username\n"))
            self.assertEqual(out, "")

    def test_a_username_and_no_password(self):
        with Server() as server:
            status, _out, err = batch(server, "alice\n")
            self.assertEqual((status, err), (USAGE, "edgehub: end of input before the password\n"))
            status, _out, err = batch(server, "", "--user", "alice")
            self.assertEqual((status, err), (USAGE, "edgehub: end of input before the password\n"))

    def test_a_complete_login_with_no_commands_is_fine(self):
        with Server() as server:
            status, out, err = batch(server, "alice\nwonder1and\n")
            self.assertEqual(status, 0, err)
            self.assertEqual(out.splitlines(), ["Welcome to edgehub, alice!", "Bye, alice!"])


class ExitStatus(HubTestCase):
    def test_every_command_ok_is_status_0(self):
        with Server() as server:
            status, out, err = batch(server, "alice\nwonder1and\necho one\nAED\n")
            self.assertEqual(status, 0, out + err)

    def test_an_error_reply_makes_the_status_non_zero_and_the_rest_still_runs(self):
        with Server() as server:
            status, out, _err = batch(server, "alice\nwonder1and\nbogus\necho after\n")
            self.assertEqual(status, COMMAND_FAILED, out)
            self.assertIn("Unknown command 'bogus'", out)
            self.assertIn("after ACK", out.splitlines())
            self.assertEqual(out.splitlines()[-1], "Bye, alice!", "logged out as usual")

    def test_a_client_side_usage_error_counts_too(self):
        with Server() as server:
            status, out, _err = batch(server, "alice\nwonder1and\nUVF bob\n")
            self.assertEqual(status, COMMAND_FAILED, out)
            self.assertIn("Usage: UVF USER FILE", out)
            status, out, _err = batch(server, "alice\nwonder1and\nUED 7\n")  # no local file alice-7.txt
            self.assertEqual(status, COMMAND_FAILED, out)

    def test_json_mode_has_the_same_status(self):
        with Server() as server:
            status, out, _err = batch(server, "alice\nwonder1and\nbogus\n", "--json")
            self.assertEqual(status, COMMAND_FAILED, out)

    def test_stop_on_error_stops_at_the_first_failure_and_logs_out(self):
        with Server() as server:
            status, out, _err = batch(server, "alice\nwonder1and\necho one\nbogus\necho two\n", "--stop-on-error")
            self.assertEqual(status, COMMAND_FAILED, out)
            lines = out.splitlines()
            self.assertIn("one ACK", lines)
            self.assertNotIn("two ACK", lines, "nothing after the failure runs")
            self.assertEqual(lines[-1], "Bye, alice!")

    def test_stop_on_error_with_no_failure_runs_everything(self):
        with Server() as server:
            env = dict(os.environ, EDGEHUB_PASSWORD="wonder1and")
            status, out, err = batch(server, "echo one\necho two\n", "--stop-on-error", "--user", "alice", env=env)
            self.assertEqual(status, 0, out + err)
            self.assertIn("two ACK", out.splitlines())


if __name__ == "__main__":
    import unittest
    unittest.main()
