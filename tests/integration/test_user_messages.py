"""What a new user reads (issue 13), through the real edgehubd and edgehub
clients: list replies keep their header in text mode, guests receive UVF,
status hides who blocked you, nothing follows the server's goodbye, a
private-session request whose invitee leaves is reported, OUT during a UVF
says so before Bye, one usage style, and notify after login explains
itself. Each case waits on events; none needs more than a few seconds."""
import os
import re
import signal
import types
import unittest

from harness import HubTestCase, Server, reply_to
from test_interactive import TMUX
from test_login_prompts import pane_for, started_server
from test_reconnect import CuttableProxy

WAIT = 60  # upper bound for one event, sanitizers included


def write_bytes(path, size):
    with open(path, "wb") as f:
        f.write(os.urandom(size))


class TextMode(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)

    def test_list_replies_print_their_header(self):
        alice, bob = self.client(self.server, "alice"), self.client(self.server, "bob")
        alice.command("AED", r"^1 other active edge device$")
        alice.expect(r"^bob, 127\.0\.0\.1, \d+, active since ")
        write_bytes(os.path.join(alice.cwd, "f.bin"), 10)
        alice.command("put f.bin", r"^Stored 'f\.bin': 10 bytes")
        alice.command("list", r"^1 file, 10 bytes$")
        alice.expect(r"^f\.bin 10$")
        alice.command("status", r"^2 connections since start-up$")
        alice.expect(r"^alice, 127\.0\.0\.1, connected .*, still connected$")
        alice.command("whoelsesince 60", r"^1 other edge device in the last 60 seconds$")
        alice.expect(r"^bob$")
        # help shows the commands only: its header is the bare word "commands".
        alice.command("help", r"^echo TEXT ")
        self.assertNotIn("commands", alice.out.seen)
        self.assertEqual(bob.finish(), 0)

    def test_one_usage_style_client_and_server(self):
        alice = self.client(self.server, "alice")
        alice.command("UED", r"^Usage: UED FILEID$")
        alice.command("EDG 7", r"^Usage: EDG FILEID COUNT \(COUNT is missing\)$")
        alice.command("SCS 7", r"^Usage: SCS FILEID OP$")
        alice.command("UVF bob", r"^Usage: UVF USER FILE$")
        self.assertFalse([line for line in alice.out.seen if re.search(r"\busage:", line)], "no lower-case usage")

    def test_notify_after_login_says_what_it_is_for(self):
        alice = self.client(self.server, "alice")
        alice.command("notify off", r"^notify on\|off works only before login: it chooses whether this device gets "
                                    r"presence events \(NAME logged in, NAME logged out\); you are already logged "
                                    r"in as alice$")

    def test_status_hides_who_blocked_you(self):
        alice, bob = self.client(self.server, "alice"), self.client(self.server, "bob")
        bob.command("block alice", r"^alice is blocked$")
        alice.command("AED", r"^no other active edge devices$")
        alice.command("status", r"^1 connection since start-up$")
        alice.command("echo end", r"^end ACK$")
        self.assertFalse([line for line in alice.out.seen if line.startswith("bob,")], "bob is hidden in status too")

    def test_invitee_logging_out_cancels_the_request(self):
        alice, bob = self.client(self.server, "alice"), self.client(self.server, "bob")
        alice.command("startprivate bob", r"^Asked bob to accept a private session")
        bob.expect(r"^alice asks for a private session")
        self.assertEqual(bob.finish(), 0)
        alice.expect(r"^bob logged out; the private session request is cancelled$")

    def test_out_during_an_incoming_uvf_says_so_before_bye(self):
        alice, bob = self.client(self.server, "alice"), self.client(self.server, "bob")
        write_bytes(os.path.join(alice.cwd, "big.bin"), 8 * 1024 * 1024)
        alice.send("UVF bob big.bin")
        bob.expect(r"^Receiving big\.bin from alice", WAIT)
        alice.stop_signal(signal.SIGSTOP)  # the transfer cannot finish before bob's OUT
        try:
            bob.send("OUT")
            bob.expect(r"^Receiving big\.bin from alice stopped: you logged out$", WAIT)
            bob.expect(r"^Bye, bob!$")
            self.assertEqual(bob.wait(WAIT), 0, "the person's own OUT is not a failure")
        finally:
            alice.stop_signal(signal.SIGCONT)
        alice.expect(r"^Sending big\.bin to bob failed: receiver closed the transfer: bob logged out$", WAIT)


class Shutdown(HubTestCase):
    def test_no_logout_events_after_the_goodbye(self):
        """Many devices, so that some disconnect while others are still being
        flushed: before the fix most of them saw others' !LOGOUT after !BYE."""
        server = Server()
        self.addCleanup(server.__exit__, None, None, None)
        names = ["alice", "bob", "carol", "dave", "erin", "frank"]
        conns = [self.raw_login(server, name) for name in names]
        for conn in conns:
            reply_to(conn, "echo ready")  # every LOGIN event has been read
        server.stop()
        for name, conn in zip(names, conns):
            after_bye, seen_bye = [], False
            while (line := conn.line()) is not None:
                if seen_bye:
                    after_bye.append(line)
                seen_bye = seen_bye or line == "!BYE Server shutting down"
            self.assertTrue(seen_bye, name)
            self.assertEqual(after_bye, [], f"{name} was sent something after the goodbye")


class GuestUvf(HubTestCase):
    def test_a_guest_receives_uvf(self):
        server = Server("--guest")
        self.addCleanup(server.__exit__, None, None, None)
        first = self.client(server)
        first.expect(r"Welcome, you are Client01$")
        second = self.client(server)
        second.expect(r"Welcome, you are Client02$")
        second.command("echo ready", r"^ready ACK$")  # its udpport, sent before, has been answered
        first.command("AED", r"^Client02, 127\.0\.0\.1, \d+, active since ")
        write_bytes(os.path.join(first.cwd, "f.bin"), 100_000)
        first.send("UVF Client02 f.bin")
        second.expect(r"^Received f\.bin from Client01$", WAIT)
        first.expect(r"^f\.bin has been uploaded$", WAIT)
        with open(os.path.join(first.cwd, "f.bin"), "rb") as a, open(os.path.join(second.cwd, "Client01_f.bin"),
                                                                      "rb") as b:
            self.assertEqual(a.read(), b.read())


@unittest.skipUnless(TMUX, "tmux is not installed: reconnecting is tested in a tmux pane")
class GuestReconnect(HubTestCase):
    def test_a_reconnected_guest_gives_its_udp_port_again(self):
        server = started_server(self, "--guest")
        proxy = CuttableProxy(server.port)
        self.addCleanup(proxy.close)
        # Plaintext, to loopback: the proxy can read what the client sends.
        pane = pane_for(self, types.SimpleNamespace(port=proxy.port, root=server.root), "--plain")
        pane.wait_text(r"^Welcome, you are Client01$")
        pane.wait_last_row("Client01>")
        proxy.cut()  # a guest comes back under a new name, with no UDP port unless it gives it
        pane.wait_text(rf"^Reconnected to 127\.0\.0\.1:{proxy.port} as Client02$")
        with proxy.lock:
            sent = "".join(bytes(chunk).decode() for chunk in proxy.sent).splitlines()
        ports = [s for s in sent if s.startswith("udpport ")]
        self.assertEqual(len(ports), 2, sent)
        port = re.match(r"^udpport (\d+)$", ports[0])
        self.assertTrue(port, sent)
        self.assertEqual(ports[1], f"udpport {port.group(1)}", sent)
        # Its key again too (docs/UDP.md#14-end-to-end-encryption).
        self.assertEqual(len([s for s in sent if s.startswith("udpkey ")]), 2, sent)


if __name__ == "__main__":
    unittest.main()
