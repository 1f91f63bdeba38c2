"""--version of edgehubd and edgehub (docs/OPERATIONS.md#version): the
project version, the git revision at configure time and the build type."""
import subprocess
import unittest

from harness import EDGEHUB, EDGEHUBD

VERSION = r"^{} \d+\.\d+\.\d+ \(git [0-9a-z.-]+, \w+ build, protocol 1\)\n$"


class Version(unittest.TestCase):
    def check(self, binary, name):
        proc = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, VERSION.format(name))
        return proc.stdout

    def test_server(self):
        self.check(EDGEHUBD, "edgehubd")

    def test_client_needs_no_host_for_it(self):
        self.check(EDGEHUB, "edgehub")

    def test_both_name_the_same_build(self):
        self.assertEqual(self.check(EDGEHUBD, "edgehubd").split(" ", 1)[1],
                         self.check(EDGEHUB, "edgehub").split(" ", 1)[1])


if __name__ == "__main__":
    unittest.main()
