"""A TCP relay in front of a server on this machine, for tests that need
to see or break what crosses a connection: what the clients sent and what
they were sent back (test_reconnect, test_user_messages), connections cut
under a client (cut()), or a port of their own whose packets nftables can
drop (network_cut.py)."""
import socket
import threading
import urllib.parse


def shut(*sockets):
    """Ends both directions of each socket, whatever state it is in."""
    for s in sockets:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class TcpRelay:
    """Forwards every connection made to 127.0.0.1:port to target_port on
    127.0.0.1. sent[i] and received[i] hold what connection i's client sent
    and was sent, under lock. close() (or leaving a with block) closes the
    listener and ends every connection."""

    def __init__(self, target_port):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs, self.sent, self.received = [], [], []
        self.ports = []  # per connection: (the client's port, the port the target sees it come from)
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url_for(self, url):
        """url (scheme://USER@HOST:PORT/...) through the relay."""
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0] + f":{self.port}"))

    def forwarded(self):
        """Every connection forwarded so far: (the client's port, the port
        the target sees it come from)."""
        with self.lock:
            return list(self.ports)

    def relayed_to_client(self, marker):
        """Whether the last connection's server has sent marker, and the
        client has been handed it."""
        with self.lock:
            return bool(self.received) and marker in self.received[-1]

    def cut(self):
        """Ends every connection through the relay, as a network failure
        that both sides notice would."""
        with self.lock:
            for pair in self.pairs:
                shut(*pair)

    def close(self):
        self.listener.close()
        self.cut()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            try:
                server = socket.create_connection(("127.0.0.1", self.target))
            except OSError:  # the server is gone (the test is ending): so is this connection
                client.close()
                continue
            record, answers = bytearray(), bytearray()
            with self.lock:
                self.pairs.append((client, server))
                self.ports.append((client.getpeername()[1], server.getsockname()[1]))
                self.sent.append(record)
                self.received.append(answers)
            threading.Thread(target=self._pump, args=(client, server, record, self.lock), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, answers, self.lock), daemon=True).start()

    @staticmethod
    def _pump(src, dst, record, lock):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
                with lock:
                    record.extend(data)
        except OSError:
            pass
        shut(src, dst)
