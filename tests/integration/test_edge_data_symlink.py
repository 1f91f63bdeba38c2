"""UED, SCS and DTE never follow a symbolic link put in place of a device's
directory uploads/NAME (docs/EDGE_DATA.md#storage-and-crash-consistency):
the server opens it relative to uploads/ with O_NOFOLLOW, refuses clearly,
and writes, reads or deletes nothing outside (issue 14, item 8)."""
import os
import shutil
import unittest

from harness import HubTestCase, Server

REFUSED = r"uploads/alice is not a plain directory \(a symbolic link\?\)"


class EdgeDataSymlink(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.outside = os.path.join(self.server.root, "outside")
        os.makedirs(self.outside)
        with open(os.path.join(self.outside, "alice-5.txt"), "w") as f:
            f.write("1\n2\n3\n")  # a file the link would expose
        self.alice = self.client(self.server, "alice")
        with open(os.path.join(self.alice.cwd, "alice-7.txt"), "w") as f:
            f.write("4\n5\n6\n")

    def link_device_dir(self):
        device_dir = self.server.path("uploads", "alice")
        if os.path.isdir(device_dir) and not os.path.islink(device_dir):
            shutil.rmtree(device_dir)
        os.makedirs(self.server.path("uploads"), exist_ok=True)
        os.symlink(self.outside, device_dir)

    def assert_outside_untouched(self):
        self.assertEqual(sorted(os.listdir(self.outside)), ["alice-5.txt"])
        with open(os.path.join(self.outside, "alice-5.txt")) as f:
            self.assertEqual(f.read(), "1\n2\n3\n")

    def test_link_in_place_of_an_existing_directory(self):
        self.alice.command("UED 7", r"file 7 uploaded: 3 values")
        self.link_device_dir()
        self.alice.command("UED 7", REFUSED)
        self.alice.command("SCS 5 MEDIAN", REFUSED)
        self.alice.command("DTE 5", REFUSED)
        self.assert_outside_untouched()
        self.assertTrue(self.server.alive())

    def test_link_before_the_first_upload(self):
        self.link_device_dir()
        self.alice.command("UED 7", REFUSED)
        self.assert_outside_untouched()
        self.assertEqual(self.alice.finish(), 5)


if __name__ == "__main__":
    unittest.main()
