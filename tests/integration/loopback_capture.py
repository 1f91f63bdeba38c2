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
# Each capture keeps only what its tests look for, so that other tests'
# traffic on lo (they run in parallel) cannot fill its buffer and make the
# kernel drop the frames that matter: a private session's hello was lost so
# once, behind a parallel 1 GiB TCP download; UDP GSO super-frames of up to
# 64 KiB each (a parallel UVF or swarm transfer) could do the same.
# LoopbackCapture (test_private_e2e: a TCP session's hello and records)
# keeps frames of up to SMALL_FRAME bytes that are not IPv4 UDP;
# LoopbackSniffer (test_uvf, test_swarm) keeps IPv4 UDP frames whole.
SMALL_FRAME = 2048

# Classic BPF on lo's frames (a 14-byte Ethernet header first).
_LDH_ETHERTYPE = (0x28, 0, 0, 12)       # ldh [12]
_LDB_IP_PROTOCOL = (0x30, 0, 0, 23)     # ldb [23]: the IPv4 protocol byte
_LD_LEN = (0x80, 0, 0, 0)               # ld len
_KEEP = (0x06, 0, 0, 0x40000)           # ret #262144
_DROP = (0x06, 0, 0, 0)                 # ret #0
SMALL_NOT_UDP = [_LDH_ETHERTYPE,
                 (0x15, 0, 2, 0x0800),     # IPv4? next : to the length check
                 _LDB_IP_PROTOCOL,
                 (0x15, 3, 0, 17),         # UDP? drop : the length check
                 _LD_LEN,
                 (0x25, 1, 0, SMALL_FRAME),  # longer? drop : keep
                 _KEEP,
                 _DROP]
IPV4_UDP = [_LDH_ETHERTYPE,
            (0x15, 0, 3, 0x0800),  # IPv4? next : drop
            _LDB_IP_PROTOCOL,
            (0x15, 0, 1, 17),      # UDP? keep : drop
            _KEEP,
            _DROP]


def attach_filter(sock, program):
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
    """The frames on lo while running that its filter keeps (small ones,
    not UDP); stop() returns them joined."""

    FILTER = SMALL_NOT_UDP

    def __init__(self):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        # A large buffer: lo carries every parallel test's traffic, and a
        # full buffer drops frames (once, a private session's hello among them).
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20)
        attach_filter(self.sock, self.FILTER)
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
        # What the kernel captured but the pump had not read yet (a pump
        # thread starved on a loaded machine lags behind the test) is read
        # now, before the socket closes: once, the hello was lost that way.
        self.sock.setblocking(False)
        while True:
            try:
                self.take(self.sock.recv(70000))
            except (BlockingIOError, OSError):
                break
        self.sock.close()

    def stop(self):
        self._end()
        return b"".join(self.frames)


class LoopbackSniffer(LoopbackCapture):
    """Every UDP payload seen on lo from or to one of `ports` (other tests
    may be using lo meanwhile); stop() returns the list of payloads."""

    FILTER = IPV4_UDP

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
