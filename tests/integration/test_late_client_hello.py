"""A TLS client on loopback that stays silent past the first-byte sniffer's
250 ms gets the plaintext greeting (the server speaks first, and silence is
what a person at nc does). Its ClientHello then arrives on a plaintext
connection: the server cannot take the greeting back, so it closes the
connection at once with a log line naming the cause, instead of answering
the handshake bytes with -ERR lines (docs/SECURITY.md#tls)."""
import ssl
import unittest

from harness import HubTestCase, Server, wait_until


def client_hello():
    """The bytes a TLS client sends first: a real ClientHello from Python's ssl."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class LateClientHelloTest(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)

    def test_a_client_hello_after_the_plaintext_greeting_is_closed_with_a_log_line(self):
        conn = self.raw(self.server, silent=True)
        conn.expect(r"^\+OK EDGEHUB/\d+ ")  # sent after the silence: the sniffer chose plaintext
        hello = client_hello()
        self.assertEqual(hello[0], 0x16)
        conn.send(hello)
        conn.sock.settimeout(10)
        rest = b""
        while True:
            chunk = conn.sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        self.assertEqual(conn.buf + rest, b"", "nothing is answered to the handshake bytes")
        wait_until(lambda: "a TLS ClientHello came after the plaintext greeting" in self.server.log(),
                   what="the log line")

    def test_a_plaintext_client_after_silence_is_still_served(self):
        conn = self.raw(self.server, silent=True)
        conn.expect(r"^\+OK EDGEHUB/\d+ ")
        conn.send("login alice " + self.server.credentials["alice"] + "\n")
        conn.expect(r"^\+OK Welcome to edgehub, alice")


if __name__ == "__main__":
    unittest.main()
