"""EHT version 2 in Python, for tests that play a device by hand
(docs/UDP.md#14-end-to-end-encryption): the key exchange (libsodium
crypto_kx, the ticket bound in with BLAKE2b), the per-conversation keys from
the salt, and sealing/opening datagrams with AES-256-GCM. Also a loopback
sniffer (AF_PACKET, needs root) that records every UDP payload, as tcpdump
would, for the "no plaintext on the wire" tests."""
import hashlib
import os
import socket
import struct

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

KEY_LABEL = b"edgehub e2e session key v1"
CONVERSATION_LABEL = b"edgehub EHT/2 conversation"
SYN, SYNACK, DATA, ACK, FIN, FINACK, ABORT, KEEPALIVE, REQUEST = range(1, 10)


class KeyPair:
    def __init__(self):
        self.secret = X25519PrivateKey.generate()
        self.public = self.secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def hex(self):
        return self.public.hex()


def session_keys(mine, their_public_hex, initiator, ticket):
    """(rx, tx) as crypto_kx_client/server_session_keys, each bound to the ticket."""
    theirs = bytes.fromhex(their_public_hex)
    q = mine.secret.exchange(X25519PublicKey.from_public_bytes(theirs))
    client_pk, server_pk = (mine.public, theirs) if initiator else (theirs, mine.public)
    h = hashlib.blake2b(q + client_pk + server_pk, digest_size=64).digest()
    rx, tx = (h[:32], h[32:]) if initiator else (h[32:], h[:32])

    def bind(k):
        return hashlib.blake2b(KEY_LABEL + b"\0" + ticket.encode(), key=k, digest_size=32).digest()

    return bind(rx), bind(tx)


class Channel:
    """One conversation: seals with tx and a counter, opens with rx."""

    def __init__(self, keys, ticket, salt=None):
        self.salt = salt or os.urandom(16)
        self.ticket = ticket
        conv = [hashlib.blake2b(CONVERSATION_LABEL + self.salt, key=k, digest_size=32).digest() for k in keys]
        self.rx, self.tx = AESGCM(conv[0]), AESGCM(conv[1])
        self.counter = 0

    def seal(self, ptype, dest, body, flags=0):
        ad = bytes([0xEB, 2, ptype, flags]) + struct.pack(">IQ", dest, self.counter)
        if dest == 0:
            t = self.ticket.encode()
            ad += bytes([len(t)]) + t + self.salt
        nonce = b"\0\0\0\0" + struct.pack(">Q", self.counter)
        self.counter += 1
        return ad + self.tx.encrypt(nonce, body, ad)

    def open(self, dg):
        """(type, dest, body) or None if it does not open."""
        if len(dg) < 32 or dg[0] != 0xEB or dg[1] != 2:
            return None
        dest, counter = struct.unpack(">IQ", dg[4:16])
        at = 16
        if dest == 0:
            at += 1 + dg[16] + 16
        try:
            body = self.rx.decrypt(b"\0\0\0\0" + struct.pack(">Q", counter), dg[at:], dg[:at])
        except Exception:
            return None
        return dg[2], dest, body


def syn_body(src_conn, ticket, name, size, chunk=1412):
    t, n = ticket.encode(), name.encode()
    return struct.pack(">IBHQI", src_conn, 0, chunk, size, 0) + bytes([len(t)]) + t + struct.pack(">H", len(n)) + n


