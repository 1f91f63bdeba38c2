"""A small real filesystem for the full-disk tests (docs/SECURITY.md#a-full-disk):
a tmpfs of a few MiB mounted on a fresh directory, so that the server's own
SQLite file, WAL and uploads meet a real ENOSPC. Mounting needs root (or
CAP_SYS_ADMIN); without it the tests are skipped and say why."""
import errno
import os
import shutil
import subprocess
import tempfile
import unittest


class SmallDisk:
    """A tmpfs of size_mib MiB. unmount() always succeeds (lazily if a file
    on it is still open), so a failed test never leaves a mount behind."""

    def __init__(self, size_mib):
        self.mountpoint = tempfile.mkdtemp(prefix="edgehub-disk-")
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", self.mountpoint],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            os.rmdir(self.mountpoint)
            raise unittest.SkipTest(f"cannot mount a {size_mib} MiB tmpfs (needs root): {proc.stderr.strip()}")
        self.mounted = True

    def path(self, *parts):
        return os.path.join(self.mountpoint, *parts)

    def free_bytes(self):
        st = os.statvfs(self.mountpoint)
        return st.f_bavail * st.f_frsize

    def fill(self, name="fill"):
        """Writes a file until the disk refuses more; returns its path."""
        path = self.path(name)
        with open(path, "ab", buffering=0) as f:
            for chunk in (1 << 16, 4096, 512, 1):
                try:
                    while True:
                        f.write(b"\0" * chunk)
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
        return path

    def unmount(self):
        if not self.mounted:
            return
        if subprocess.run(["umount", self.mountpoint], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", self.mountpoint], check=True)
        self.mounted = False
        shutil.rmtree(self.mountpoint, ignore_errors=True)


def small_disk(test, size_mib):
    """A SmallDisk unmounted when the test ends, pass or fail. Register it
    before the server so that the server stops first (cleanups run in
    reverse)."""
    disk = SmallDisk(size_mib)
    test.addCleanup(disk.unmount)
    return disk
