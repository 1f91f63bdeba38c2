"""help and help COMMAND (docs/CLIENT.md#help, docs/PROTOCOL.md#7-core-commands):
the list shows what a person types, client-only commands included and the
wire-only ones left out; one command is explained with an example, by the
client for its own commands and by the server for the others."""
import unittest

from harness import HubTestCase, Server, reply_to


def lines_until_echo(client, command):
    """The client's output for command, up to an echo sent behind it."""
    client.send(command)
    client.send("echo end-of-help")
    lines = []
    while True:
        line = client.expect(r"").string
        if line == "end-of-help ACK":
            return lines
        lines.append(line)


class Help(HubTestCase):
    def test_the_list_shows_what_a_person_types(self):
        with Server() as server:
            alice = self.client(server, "alice")
            lines = lines_until_echo(alice, "help")
            starts = [line.split("  ")[0] for line in lines]
            for typed in ("EDG FILEID COUNT", "UED FILEID", "private USER TEXT", "UVF USER FILE", "accept USER",
                          "startprivate USER", "verify USER", "message USER TEXT", "help [COMMAND]"):
                self.assertIn(typed, starts, lines)
            for wire in ("login", "swarmget", "UED FILEID SIZE SHA256", "uvf USER SIZE FILE", "startprivate USER PUBLICKEY"):
                self.assertFalse(any(line.startswith(wire + " ") for line in lines), (wire, lines))
            self.assertEqual(alice.finish(), 0)

    def test_one_command_with_an_example(self):
        with Server() as server:
            alice = self.client(server, "alice")
            self.assertEqual(lines_until_echo(alice, "help UVF"), [
                "Usage: UVF USER FILE", "send FILE straight to USER over UDP, in the background",
                "Example: UVF bob notes.txt"])
            self.assertEqual(lines_until_echo(alice, "help msg"), [
                "Usage: message USER TEXT", "send TEXT to USER; kept until their next login if offline",
                "Aliases: msg", "Example: message bob see you at 5"])
            self.assertEqual(lines_until_echo(alice, "help verify"), [
                "Usage: verify USER",
                "the verification code of your private session with USER: compare it with USER over another channel",
                "Example: verify bob"])
            self.assertEqual(lines_until_echo(alice, "help nosuch"),
                             ["Unknown command 'nosuch'. Type 'help' for the list"])
            self.assertEqual(alice.finish(), 5, "the unknown command failed")

    def test_the_server_explains_its_commands_to_nc(self):
        with Server() as server:
            conn = self.raw(server)
            conn.expect(r"^\+OK EDGEHUB/1 login")
            reply = reply_to(conn, "help notify")
            self.assertEqual(reply[:2], ["*4 Help for notify", "Usage: notify on|off"])  # [2]: the help text
            self.assertEqual(reply[3:], ["Only before logging in", "Example: notify off"])
            self.assertEqual(reply_to(conn, "help nosuch"),
                             ["-ERR 404 Unknown command 'nosuch'. Type 'help' for the list"])


if __name__ == "__main__":
    unittest.main()
