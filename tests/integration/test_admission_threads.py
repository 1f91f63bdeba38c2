"""New connections are admitted off the network threads
(docs/SECURITY.md#admission-threads): accept, the first byte and the TLS
handshake run on threads named "admission" at nice 19; the connections
they hand over, TLS and plaintext, are served as before;
--admission-threads 0 keeps all of it on the network threads; and a server
stopped in the middle of handshakes exits cleanly (the sanitizer builds
check that nothing leaks or is used after its end)."""
import os
import socket
import unittest

from harness import DEFAULT_TIMEOUT, HubTestCase, Server, raw_login, reply_to, wait_until
from tls_probe import stall_handshake, tls_handshake


def threads_named(pid, name):
    """The thread ids of process pid whose name is `name`."""
    found = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            if f.read().strip() == name:
                found.append(int(tid))
    return found


def stat_field(pid, tid, number):
    """Field `number` (1-based, as in proc(5)) of a thread's stat line."""
    with open(f"/proc/{pid}/task/{tid}/stat") as f:
        after_name = f.read().rsplit(")", 1)[1].split()
    return int(after_name[number - 3])  # fields 1 and 2 are the pid and "(name)"


def cpu_ns(pid, tid):
    """Nanoseconds a thread has spent on a CPU (the first field of its schedstat)."""
    with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
        return int(f.read().split()[0])


NICE = 19


class AdmissionThreads(HubTestCase):
    def test_handshakes_run_on_a_low_priority_thread_and_devices_are_served(self):
        with Server() as server:
            pid = server.proc.pid
            # The acceptor is on the admission thread: once a connection is
            # accepted, the thread is named and niced.
            self.assertTrue(tls_handshake(server.port, "127.0.0.1"))
            admitters = threads_named(pid, "admission")
            self.assertEqual(len(admitters), 1, "one admission thread by default")
            self.assertEqual(stat_field(pid, admitters[0], 19), NICE)
            before = cpu_ns(pid, admitters[0])
            for _ in range(3):
                self.assertTrue(tls_handshake(server.port, "127.0.0.1"))
            # The thread sleeps until a connection comes: had the handshakes
            # run on the network threads, it would have run for no more than
            # three accepts, far less than three handshakes' cryptography.
            self.assertGreater(cpu_ns(pid, admitters[0]), before)
            alice = self.client(server, user="alice")  # the edgehub client speaks TLS
            bob = self.client(server, user="bob")
            alice.command("message bob over tls", r"^Message sent to bob$")
            bob.expect(r"^alice: over tls$")
            plain = raw_login(server, "carol")  # plaintext from loopback, handed over too
            self.assertIn("alice", " ".join(reply_to(plain, "AED")))
            alice.finish()
            bob.finish()

    def test_several_threads_when_asked(self):
        with Server("--admission-threads", "3") as server:
            self.assertTrue(tls_handshake(server.port, "127.0.0.1"))
            wait_until(lambda: len(threads_named(server.proc.pid, "admission")) == 3, what="three admission threads")
            for _ in range(6):
                self.assertTrue(tls_handshake(server.port, "127.0.0.1"))
            plain = raw_login(server, "carol")
            self.assertEqual(reply_to(plain, "AED"), ["+OK no other active edge devices"])

    def test_zero_keeps_admission_on_the_network_threads(self):
        with Server("--admission-threads", "0") as server:
            self.assertTrue(tls_handshake(server.port, "127.0.0.1"))
            self.assertEqual(threads_named(server.proc.pid, "admission"), [])
            alice = self.client(server, user="alice")
            bob = self.client(server, user="bob")
            alice.command("message bob on the network thread", r"^Message sent to bob$")
            bob.expect(r"^alice: on the network thread$")
            alice.finish()
            bob.finish()

    def test_a_server_stopped_in_the_middle_of_handshakes_exits_cleanly(self):
        server = Server("--tls-handshake-timeout", "60")
        stallers = []
        try:
            for _ in range(5):
                sock = socket.create_connection(("127.0.0.1", server.port), timeout=DEFAULT_TIMEOUT)
                stallers.append(sock)
                stall_handshake(sock)  # the server has answered: its handshake waits for our Finished
            self.assertEqual(server.stop(), 0)
            # Every stalled handshake's socket was closed by the server.
            for sock in stallers:
                wait_until(lambda s=sock: s.recv(65536) == b"", what="the server to close a stalled handshake")
        finally:
            for sock in stallers:
                sock.close()
            server.stop()


if __name__ == "__main__":
    unittest.main()
