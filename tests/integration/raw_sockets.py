"""Plain sockets for hostile-load tests and bench/hostile_load.py: devices
that log in and then never read, from any loopback source address."""
import socket

from harness import DEFAULT_TIMEOUT


def login_socket(port, name, password, source="127.0.0.1", rcvbuf=None, timeout=DEFAULT_TIMEOUT):
    """A plain socket logged in as name, from the loopback address source
    (any 127.x works), for devices that then never read: a small rcvbuf
    makes the server's queue fill sooner. Reads only up to the welcome."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(timeout)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"login {name} {password}\n".encode())
    data = b""
    while f"Welcome to edgehub, {name}!".encode() not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise AssertionError(f"{name}: closed during login: {data!r}")
        data += chunk
    return sock
