"""What tcpdump -i lo would see, read with an AF_PACKET socket (needs
CAP_NET_RAW): the tests that prove no plaintext crosses the wire
(test_private_e2e, test_uvf, test_swarm) record the loopback interface
while a transfer or session runs."""
import ctypes
import socket
import struct
import threading

ETH_P_ALL = 0x0003
SO_RCVBUFFORCE = 33
SO_ATTACH_FILTER = 26
# What the tests look for is UDP (datagrams; on lo, UDP GSO hands over
# super-frames of many datagrams) or small TCP frames (a private session's
# hello and records). Bulk TCP frames of up to 64 KiB from parallel tests (a
# 1 GiB download) are what once filled the buffer and lost a hello: the
# kernel drops TCP and other frames over SMALL_FRAME before they are queued.
SMALL_FRAME = 2048


def attach_small_frame_filter(sock):
    # Classic BPF: keep IPv4 UDP; otherwise drop frames over SMALL_FRAME.
    program = [(0x30, 0, 0, 23),           # ldb [23]: the IPv4 protocol byte after 14 of Ethernet
               (0x15, 2, 0, 17),           # jeq #17 (UDP), keep, next
               (0x80, 0, 0, 0),            # ld len
               (0x25, 1, 0, SMALL_FRAME),  # jgt #SMALL_FRAME, drop, keep
               (0x06, 0, 0, 0x40000),      # keep: ret #262144
               (0x06, 0, 0, 0)]            # drop: ret #0
    code = b"".join(struct.pack("HBBI", *insn) for insn in program)
    buffer = ctypes.create_string_buffer(code)
    fprog = struct.pack("HxxxxxxQ", len(program), ctypes.addressof(buffer))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)


def can_capture():
    try:
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)).close()
        return True
    except (PermissionError, OSError, AttributeError):
        return False


class LoopbackCapture:
    """Every frame on lo while running; stop() returns them joined."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        # A large buffer: lo carries every parallel test's traffic, and a
        # full buffer drops frames (once, a private session's hello among them).
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20)
        attach_small_frame_filter(self.sock)
        self.sock.bind(("lo", 0))
        self.sock.settimeout(0.2)
        self.frames = []
        self.running = True
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self):
        while self.running:
            try:
                frame = self.sock.recv(70000)
            except socket.timeout:
                continue
            except OSError:
                return
            self.take(frame)

    def take(self, frame):
        self.frames.append(frame)

    def _end(self):
        self.running = False
        self.thread.join(5)
        self.sock.close()

    def stop(self):
        self._end()
        return b"".join(self.frames)


class LoopbackSniffer(LoopbackCapture):
    """Every UDP payload seen on lo from or to one of `ports` (other tests
    may be using lo meanwhile); stop() returns the list of payloads."""

    def __init__(self, ports):
        self.ports = set(ports)
        self.payloads = []
        super().__init__()

    def take(self, frame):
        ip = frame[14:]  # Ethernet header on lo
        if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
            return
        ihl = (ip[0] & 0x0F) * 4
        sport, dport = struct.unpack(">HH", ip[ihl:ihl + 4])
        if sport in self.ports or dport in self.ports:
            self.payloads.append(ip[ihl + 8:])

    def stop(self):
        self._end()
        return self.payloads
