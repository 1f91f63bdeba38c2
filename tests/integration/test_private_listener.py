"""The private-session listener (docs/MESSAGING.md) handles handshakes
concurrently, each with a short timeout: silent connections to the accept
port neither delay the real peer nor stop the session (issue 14, item 6)."""
import socket
import unittest

import private_peer
from harness import HubTestCase, Server

SILENT = 6
# Well under one old handshake wait (10 s each, one after another): the
# real peer must not queue behind the silent ones.
PEER_WAIT = 5


class PrivateListener(HubTestCase):
    def test_silent_connections_do_not_stall_the_peer(self):
        server = Server()
        self.addCleanup(server.__exit__, None, None, None)
        bob = self.client(server, "bob")
        keys, (host, port, token, bob_key) = private_peer.ask_by_hand(self.raw(server), bob)
        silent = []
        for _ in range(SILENT):
            s = socket.create_connection((host, int(port)), timeout=10)
            self.addCleanup(s.close)
            silent.append(s)
        peer = socket.create_connection((host, int(port)), timeout=PEER_WAIT)
        self.addCleanup(peer.close)
        peer.sendall(f"EDGEHUB-PRIVATE/2 alice {token}\n".encode())
        line, rest = private_peer.read_line(peer)
        self.assertEqual(line, "OK bob")
        bob.expect(r"^Private session with alice started \(aes256gcm\)$")
        rx, tx = private_peer.session_keys(keys, bob_key, True, private_peer.context("alice", "bob", token))
        self.assertEqual(private_peer.Records(peer, rx, tx, rest).receive(), "READY")
        for s in silent:  # each is refused and closed after its short handshake time
            s.settimeout(10)
            data = s.recv(100)
            self.assertTrue(data == b"" or data.startswith(b"ERR "), data)


if __name__ == "__main__":
    unittest.main()
