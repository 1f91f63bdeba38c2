"""Parked connections (src/net/parking_lot.hpp, docs/ARCHITECTURE.md#parked-connections):
a device that waits for input longer than --park-idle leaves Asio's
per-socket state, and everything still works: its input wakes it, the
server's writes reach it, its hang-up logs it out, a shutdown says goodbye.
The parked count is read from /metrics (edgehub_connections_parked)."""
import shutil
import unittest

from harness import HubTestCase, Server, reply_to, wait_until
from test_metrics import curl, samples
from test_tls import s_client_login

OPENSSL = shutil.which("openssl")


def metric(server, name):
    status, body = curl(server, "/metrics")
    assert status == 200, body
    return samples(body)[name]


def parked(server):
    return metric(server, "edgehub_connections_parked")


def parks(server):
    return metric(server, "edgehub_connection_parks_total")


def wait_parked(server, count):
    wait_until(lambda: parked(server) == count, what=f"{count} connections parked")


class ParkingTest(HubTestCase):
    def test_parked_devices_read_write_and_log_out(self):
        with Server("--park-idle", "50", http=True) as server:
            alice = self.raw_login(server, "alice")
            bob = self.raw_login(server, "bob")
            wait_parked(server, 2)
            # alice's command wakes her connection; the message wakes bob's to be written.
            self.assertTrue(reply_to(alice, "message bob hello")[0].startswith("+OK"))
            bob.expect(r"^!MSG alice hello")
            self.assertTrue(reply_to(bob, "message alice back")[0].startswith("+OK"))
            alice.expect(r"^!MSG bob back")
            wait_parked(server, 2)
            # A hang-up while parked: the device is logged out (the next login of that name works).
            bob.close()
            wait_parked(server, 1)
            self.raw_login(server, "bob")
            wait_parked(server, 2)
            names = reply_to(alice, "AED")
            self.assertIn("bob", " ".join(names))

    def test_a_command_split_across_packets_is_read_whole(self):
        with Server("--park-idle", "50", http=True) as server:
            alice = self.raw_login(server, "alice")
            wait_parked(server, 1)
            before = parks(server)
            alice.send(b"mess")
            # Woken by "mess", then parked again with the unfinished line held.
            wait_until(lambda: parks(server) > before and parked(server) == 1, what="parked again")
            alice.send(b"age carol later\n")
            self.assertTrue(alice.line().startswith("+OK"))

    def test_shutdown_says_goodbye_to_parked_devices(self):
        server = Server("--park-idle", "50", http=True)
        with server:
            alice = self.raw_login(server, "alice")
            wait_parked(server, 1)
            server.stop()
            alice.expect(r"shutting down")
            self.assertTrue(alice.closed_by_server())

    def test_park_idle_zero_parks_nothing(self):
        with Server("--park-idle", "0", http=True) as server:
            alice = self.raw_login(server, "alice")
            self.assertTrue(reply_to(alice, "AED")[0])
            self.assertEqual(parked(server), 0)

    @unittest.skipUnless(OPENSSL, "openssl is not installed")
    def test_a_parked_tls_device_still_talks(self):
        with Server("--park-idle", "50", http=True) as server:
            bob = self.raw_login(server, "bob")
            alice = s_client_login(self, server, "alice", "wonder1and")
            wait_parked(server, 2)
            self.assertTrue(reply_to(bob, "message alice over tls")[0].startswith("+OK"))
            alice.out.expect(r"^!MSG bob over tls", what="s_client")
            wait_parked(server, 2)
            alice.command("message bob back")
            bob.expect(r"^!MSG alice back")


if __name__ == "__main__":
    unittest.main()
