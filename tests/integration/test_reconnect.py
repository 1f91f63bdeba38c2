"""When the server goes away (docs/CLIENT.md#when-the-server-goes-away): the
interactive client says so, and logs in again by itself when the server is
back on the same port; batch mode stops with a message and status 1."""
import signal
import types
import unittest

from client_home import pin_server
from harness import HubTestCase, Server, wait_until
from test_interactive import TMUX
from test_login_prompts import pane_for, started_server
from tcp_relay import TcpRelay


def restart_on_the_same_port(server):
    """Starts the stopped server again on its port and data directory (a
    positional PORT overrides the harness's --port 0)."""
    server.extra_args.append(str(server.port))
    server.start()


# A relay that can cut every connection through it, as a network failure
# would, and records what clients sent on each and what the server sent back.
CuttableProxy = TcpRelay


def cut_and_come_back(pane, proxy, after=None):
    """The network fails under alice's client (once the server's bytes
    `after` reached it, if given); it reconnects and serves again."""
    if after is not None:
        wait_until(lambda: proxy.relayed_to_client(after), what=f"{after!r} relayed to the client")
    proxy.cut()
    pane.wait_text(rf"^Reconnected to 127\.0\.0\.1:{proxy.port} as alice$")
    pane.wait_last_row("alice>")
    pane.type("echo still here")
    pane.key("Enter")
    pane.wait_text(r"^still here ACK$")


@unittest.skipUnless(TMUX, "tmux is not installed: the interactive client is tested in a tmux pane")
class InteractiveReconnect(HubTestCase):
    def test_a_lost_connection_comes_back_with_the_resume_token(self):
        server = started_server(self)
        proxy = CuttableProxy(server.port)
        self.addCleanup(proxy.close)
        # Plaintext, to loopback: the proxy can read that the token, not the password, is sent.
        pane = pane_for(self, types.SimpleNamespace(port=proxy.port, root=server.root), "--plain")
        pane.log_in("alice", server.credentials["alice"])
        # The prompt shows at the welcome; the token comes right after it.
        # A cut before the client has it rightly falls back to the password.
        cut_and_come_back(pane, proxy, after=b"\n!TOKEN ")  # the server stays up and remembers alice's token
        with proxy.lock:
            second = bytes(proxy.sent[-1]).decode()
        # The token, no password (after the UDP key, docs/UDP.md).
        self.assertRegex(second, r"^(udpkey [0-9a-f]{64}( [a-z0-9,-]+)?\n)?resume alice [0-9a-f]{64} \d+\n")
        self.assertNotIn(server.credentials["alice"], second)

    def test_a_lost_tls_connection_comes_back_verified_and_encrypted(self):
        server = started_server(self)
        proxy = CuttableProxy(server.port)
        self.addCleanup(proxy.close)
        pin_server(proxy.port, server.fingerprint)  # the client checks the proxied certificate against this pin
        pane = pane_for(self, types.SimpleNamespace(port=proxy.port, root=server.root))
        pane.log_in("alice", server.credentials["alice"])
        cut_and_come_back(pane, proxy)
        with proxy.lock:
            sent = [bytes(record) for record in proxy.sent]
        self.assertEqual(len(sent), 2)
        for record in sent:
            self.assertEqual(record[:1], b"\x16")  # a TLS handshake record: the ClientHello
            self.assertNotIn(b"alice", record)
            self.assertNotIn(server.credentials["alice"].encode(), record)
        self.assertNotIn("pinned", pane.text())  # the pin was there: nothing new on first use

    def test_the_client_comes_back_when_the_server_does(self):
        server = started_server(self)
        pane = pane_for(self, server)
        pane.log_in("alice", server.credentials["alice"])
        self.assertEqual(server.stop(signal.SIGTERM), 0)
        pane.wait_text(r"^Server shutting down$")
        pane.wait_text(r"^Connection to the server closed$")
        pane.wait_text(rf"^Reconnecting to 127\.0\.0\.1:{server.port} \(Ctrl-C to quit\)$")

        restart_on_the_same_port(server)  # a restart forgets resume tokens: the client logs in again
        pane.wait_text(rf"^Reconnected to 127\.0\.0\.1:{server.port} as alice$")
        pane.wait_last_row("alice>")
        pane.type("echo back again")
        pane.key("Enter")
        pane.wait_text(r"^back again ACK$")
        bob = self.client(server, "bob")
        bob.command("AED", r"^alice, 127\.0\.0\.1, ")  # the server has alice online again
        self.assertEqual(bob.finish(), 0)


class BatchDoesNotReconnect(HubTestCase):
    def test_batch_mode_stops_with_a_message_and_status_1(self):
        with Server() as server:
            alice = self.client(server, "alice")
            self.assertEqual(server.stop(signal.SIGTERM), 0)
            alice.expect(r"^Server shutting down$")
            self.assertEqual(alice.finish(), 1)  # end of input: the client finds the connection closed
            alice.out._thread.join(10)  # all it printed has been read (stdout and stderr, in either order)
            alice.out.drain()
            self.assertIn("edgehub: the server closed the connection; batch mode does not reconnect", alice.out.seen)


if __name__ == "__main__":
    unittest.main()
