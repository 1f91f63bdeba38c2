"""When the server goes away (docs/CLIENT.md#when-the-server-goes-away): the
interactive client says so, and logs in again by itself when the server is
back on the same port; batch mode stops with a message and status 1."""
import signal
import unittest

from harness import HubTestCase, Server
from test_interactive import TMUX
from test_login_prompts import pane_for


def restart_on_the_same_port(server):
    """Starts the stopped server again on its port and data directory (a
    positional PORT overrides the harness's --port 0)."""
    server.extra_args.append(str(server.port))
    server.start()


@unittest.skipUnless(TMUX, "tmux is not installed: the interactive client is tested in a tmux pane")
class InteractiveReconnect(HubTestCase):
    def test_the_client_comes_back_when_the_server_does(self):
        with Server() as server:
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
