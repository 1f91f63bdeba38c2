"""TLS handshakes driven by hand, for the tests of the handshake caps and
threads (docs/SECURITY.md#tls-handshakes)."""
import socket
import ssl

from harness import DEFAULT_TIMEOUT


def client_context():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def stall_handshake(sock):
    """Sends a ClientHello and reads the server's first flight, then stops:
    the server's handshake is in progress, waiting for our Finished."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = client_context().wrap_bio(incoming, outgoing)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    sock.sendall(outgoing.read())
    if not sock.recv(65536):
        raise AssertionError("the server closed instead of answering the ClientHello")


def tls_handshake(port, source):
    """True if a TLS handshake from source completes, False if the server
    refuses it (an alert, or the connection closed)."""
    context = client_context()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(DEFAULT_TIMEOUT)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    try:
        with context.wrap_socket(sock) as tls:
            return tls.version() == "TLSv1.3"
    except (ssl.SSLError, ConnectionError):
        return False
    finally:
        sock.close()
