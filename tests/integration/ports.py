"""Free ports for test servers, and the HTTP listener's arguments
(docs/HTTP_API.md#the-http-server): every test server gets --http-port 0
(off) unless its test asks for HTTP, so parallel servers never meet on the
default port."""
import socket


def free_port(kind=socket.SOCK_STREAM):
    """A port free at the time of the call (the kernel's choice)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_port():
    return free_port(socket.SOCK_DGRAM)


def with_http_port(args, port):
    """args with --http-port PORT (0: off) unless they have one."""
    args = list(args)
    return args if "--http-port" in args else args + ["--http-port", str(port or 0)]
