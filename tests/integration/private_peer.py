"""The device side of an end-to-end encrypted private session, written
independently of the C++ client from docs/MESSAGING.md#private-sessions, so
that tests can speak the protocol by hand, tamper with records and check
the client against a second implementation.

Keys: libsodium crypto_kx (X25519, then BLAKE2b-512 of the shared secret and
both public keys, initiator's first), each half then keyed BLAKE2b-256 of
"edgehub e2e session key v1\\0" + context. Records: 4-byte big-endian length
(the additional data), then AES-256-GCM output; the nonce is the record's
number in its direction, big-endian in the last 8 of 12 bytes."""
import hashlib
import socket

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HELLO = "EDGEHUB-PRIVATE/2"


class KeyPair:
    def __init__(self):
        self.secret = X25519PrivateKey.generate()
        self.public = self.secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def hex(self):
        return self.public.hex()


def bind(key, context):
    return hashlib.blake2b(b"edgehub e2e session key v1\0" + context.encode(), digest_size=32, key=key).digest()


def session_keys(mine, theirs_hex, initiator, context):
    """(rx, tx) as crypto_kx_{client,server}_session_keys, bound to context."""
    theirs = bytes.fromhex(theirs_hex)
    shared = mine.secret.exchange(X25519PublicKey.from_public_bytes(theirs))
    client_pk, server_pk = (mine.public, theirs) if initiator else (theirs, mine.public)
    h = hashlib.blake2b(shared + client_pk + server_pk, digest_size=64).digest()
    rx, tx = (h[:32], h[32:]) if initiator else (h[32:], h[:32])
    return bind(rx, context), bind(tx, context)


def context(initiator, listener, token):
    return f"{HELLO} {initiator} {listener} {token}"


class Records:
    """Both directions of one session over a connected socket."""

    def __init__(self, sock, rx, tx, buffered=b""):
        self.sock, self.rx, self.tx = sock, AESGCM(rx), AESGCM(tx)
        self.sent = self.received = 0
        self.buf = buffered

    @staticmethod
    def nonce(counter):
        return bytes(4) + counter.to_bytes(8, "big")

    def seal(self, line):
        body_len = len(line.encode()) + 16
        header = body_len.to_bytes(4, "big")
        record = header + self.tx.encrypt(self.nonce(self.sent), line.encode(), header)
        self.sent += 1
        return record

    def send(self, line):
        self.sock.sendall(self.seal(line))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def receive(self):
        """The next record's line; None at end of stream."""
        header = self._read(4)
        if header is None:
            return None
        body = self._read(int.from_bytes(header, "big"))
        line = self.rx.decrypt(self.nonce(self.received), body, header)
        self.received += 1
        return line.decode()


def read_line(sock, buf=b""):
    """One clear handshake line and what came after it."""
    while b"\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    line, rest = buf.split(b"\n", 1)
    return line.decode(), rest


def ask_by_hand(conn, bob):
    """A raw connection at the login prompt logs in as alice (as with nc) and
    asks the real client bob, which accepts. Returns (keys, (host, port,
    token, bob_key)) from the !PRIVSTART."""
    conn.expect(r"login")
    conn.send("login alice wonder1and\n")
    conn.expect(r"^\+OK Welcome")
    keys = KeyPair()
    conn.send(f"startprivate bob {keys.hex}\n")
    conn.expect(r"^\+OK Asked bob")
    bob.expect(r"^alice asks for a private session: type 'accept alice' or 'decline alice'$")
    bob.send("accept alice")
    _, _, host, port, token, bob_key = conn.expect(r"^!PRIVSTART bob ").split(" ")
    return keys, (host, port, token, bob_key)


def connect(name, peer, host, port, token, keys, peer_key_hex):
    """As the initiator: hello, OK, the listener's READY. Returns Records."""
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(f"{HELLO} {name} {token}\n".encode())
    line, rest = read_line(sock)
    if line != f"OK {peer}":
        raise AssertionError(f"listener answered {line!r}")
    rx, tx = session_keys(keys, peer_key_hex, True, context(name, peer, token))
    records = Records(sock, rx, tx, rest)
    ready = records.receive()
    if ready != "READY":
        raise AssertionError(f"first record {ready!r}")
    return records


def short_authentication_string(a_hex, b_hex):
    """What `verify` prints: BLAKE2b-512 of a label and both keys, smaller
    first; six groups of five digits, each a little-endian 64-bit word mod 10^5."""
    lo, hi = sorted([bytes.fromhex(a_hex), bytes.fromhex(b_hex)])
    d = hashlib.blake2b(b"edgehub verify v1" + lo + hi, digest_size=64).digest()
    return " ".join("%05d" % (int.from_bytes(d[g * 8:g * 8 + 8], "little") % 100000) for g in range(6))
