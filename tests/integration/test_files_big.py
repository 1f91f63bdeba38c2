"""File repository: a large file (1 GiB; 128 MiB in the sanitizer build;
EDGEHUB_BIG_FILE_MB overrides) goes up and comes back intact, and the
server streams it without ever holding it in memory."""
import os
import unittest

from harness import HubTestCase, Server
from test_files import MIB, big_file_bytes, get, make_file, put, sha256_of, under_asan, upload_temps

# Generous: two cores shared with the rest of the suite, fsync of the whole file.
BIG_TIMEOUT = 600


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class BigFile(HubTestCase):
    def test_large_round_trip(self):
        size = big_file_bytes()
        with Server() as server:
            alice = self.client(server, "alice")
            bob = self.client(server, "bob")
            src = os.path.join(alice.cwd, "big.bin")
            sha = make_file(src, size, seed=7)
            put(alice, src, timeout=BIG_TIMEOUT)
            self.assertEqual(sha256_of(server.path("files", "big.bin")), sha)
            self.assertEqual(get(bob, "big.bin", timeout=BIG_TIMEOUT).group(1), str(size))
            dst = os.path.join(bob.cwd, "big.bin")
            self.assertEqual(os.path.getsize(dst), size)
            self.assertEqual(sha256_of(dst), sha)
            self.assertEqual(sorted(os.listdir(bob.cwd)), ["big.bin"])
            self.assertEqual(upload_temps(server), [])
            os.remove(src)
            os.remove(dst)
            if not under_asan() and size >= 512 * MIB:
                # Uploads go through 1 MiB blocks and downloads through
                # sendfile: the file never sits in the server's memory.
                self.assertLess(peak_rss_kib(server.proc.pid) * 1024, 128 * MIB)


if __name__ == "__main__":
    unittest.main()
