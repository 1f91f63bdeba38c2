"""File repository under load: 20 downloads at once, half of them from
connections that do not read, while other devices' commands, presence and
messages still get through, and every download completes intact."""
import hashlib
import os
import unittest

from harness import DEFAULT_CREDENTIALS, HubTestCase, Server
from test_files import MIB, make_file, put, read_blocks, sha256_of, under_asan

DOWNLOADERS = 20
SIZE = (32 if under_asan() else 64) * MIB  # far more than socket buffers hold
LONG = 300


class ConcurrentDownloads(HubTestCase):
    def test_twenty_downloads_do_not_stall_other_clients(self):
        credentials = dict(DEFAULT_CREDENTIALS)
        credentials.update({f"dl{i:02}": f"pw{i:02}" for i in range(DOWNLOADERS)})
        with Server(credentials=credentials) as server:
            alice = self.client(server, "alice")
            src = os.path.join(alice.cwd, "shared.bin")
            sha = make_file(src, SIZE, seed=11)
            put(alice, src, timeout=LONG)
            carol = self.client(server, "carol")
            dave = self.client(server, "dave")

            # Ten real clients stream at full speed; ten hand-made ones ask
            # and then do not read, so their downloads cannot finish and the
            # server holds their sends open with full socket buffers.
            clients = [self.client(server, f"dl{i:02}") for i in range(DOWNLOADERS // 2)]
            stalled = [self.raw_login(server, f"dl{i:02}") for i in range(DOWNLOADERS // 2, DOWNLOADERS)]
            for conn in stalled:
                conn.send("get shared.bin\n")
            for c in clients:
                c.send("get shared.bin")
            # Meanwhile other devices are served as usual.
            carol.command("echo still here", r"^still here ACK$")
            carol.send("AED")
            carol.expect(r"^dave, 127\.0\.0\.1, ")
            carol.send("message dave hello during the downloads")
            dave.expect(r"^carol: hello during the downloads$")
            erin = self.client(server, "erin")
            carol.expect(r"^erin logged in$")
            erin.command("list", rf"^shared\.bin {SIZE}$")

            # All of that while ten downloads were unfinished; now they run.
            for conn in stalled:
                self.assertEqual(conn.expect(r"^\+OK "), f"+OK {SIZE} {sha} 0 shared.bin")  # events before it skipped
                data, _ = read_blocks(conn, timeout=LONG)
                self.assertEqual(hashlib.sha256(data).hexdigest(), sha)
            for c in clients:
                c.expect(rf"^Downloaded shared\.bin: {SIZE} bytes, SHA-256 verified$", LONG)
                self.assertEqual(sha256_of(os.path.join(c.cwd, "shared.bin")), sha)
                self.assertEqual(c.finish(timeout=LONG), 0)


if __name__ == "__main__":
    unittest.main()
