"""The Debian package (docs/OPERATIONS.md#the-debian-package), built by
CPack from this build's binaries: it builds, lintian finds no errors, it
unpacks with dpkg into a scratch root with the expected files, owners and
modes, and its postinst creates the edgehub user and /var/lib/edgehub.
Registered for the normal build only (tests/ops/CMakeLists.txt)."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

BUILD_DIR = os.environ.get("EDGEHUB_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE_DIR = os.environ.get("EDGEHUB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

# path in the package -> (owner/group, mode) as `dpkg-deb -c` shows them
EXPECTED = {
    "./usr/bin/edgehubd": ("root/root", "-rwxr-xr-x"),
    "./usr/bin/edgehub": ("root/root", "-rwxr-xr-x"),
    "./lib/systemd/system/edgehubd.service": ("root/root", "-rw-r--r--"),
    "./etc/edgehub/edgehubd.conf": ("root/root", "-rw-r--r--"),  # postinst: root:edgehub 0640
    "./etc/edgehub/credentials.txt": ("root/root", "-rw-r--r--"),
    "./etc/logrotate.d/edgehubd": ("root/root", "-rw-r--r--"),
    "./usr/share/doc/edgehub/copyright": ("root/root", "-rw-r--r--"),
    "./usr/share/doc/edgehub/changelog.gz": ("root/root", "-rw-r--r--"),
    "./usr/share/edgehub/contrib/haproxy/haproxy.cfg": ("root/root", "-rw-r--r--"),
    "./usr/share/man/man8/edgehubd.8.gz": ("root/root", "-rw-r--r--"),
    "./usr/share/bash-completion/completions/edgehubd": ("root/root", "-rw-r--r--"),
    "./usr/share/bash-completion/completions/edgehub": ("root/root", "-rw-r--r--"),
    "./usr/share/man/man1/edgehub.1.gz": ("root/root", "-rw-r--r--"),
}


def run(*cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="edgehub-deb-")
        proc = run("cpack", "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-G", "DEB", "-B", cls.root)
        debs = glob.glob(os.path.join(cls.root, "edgehub_*.deb"))
        cls.build_output = proc.stdout + proc.stderr
        cls.deb = debs[0] if proc.returncode == 0 and len(debs) == 1 else None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def setUp(self):
        self.assertIsNotNone(self.deb, self.build_output)

    def test_control_fields(self):
        info = run("dpkg-deb", "-f", self.deb, "Package", "Version", "Depends").stdout
        self.assertIn("Package: edgehub", info)
        for needed in ("adduser", "libsystemd0", "libsqlite3", "libsodium", "libpq5"):
            self.assertIn(needed, info)
        conffiles = run("dpkg-deb", "--info", self.deb, "conffiles").stdout.split()
        self.assertEqual(sorted(conffiles),
                         ["/etc/edgehub/credentials.txt", "/etc/edgehub/edgehubd.conf", "/etc/logrotate.d/edgehubd"])

    def test_files_owners_and_modes(self):
        listing = {}
        for line in run("dpkg-deb", "-c", self.deb).stdout.splitlines():
            fields = line.split()
            listing[fields[-1]] = (fields[1], fields[0])
        for path, want in EXPECTED.items():
            self.assertEqual(listing.get(path), want, path)

    def test_lintian_finds_no_errors(self):
        if not shutil.which("lintian"):
            self.skipTest("lintian is not installed (scripts/install-deps.sh installs it)")
        proc = run("lintian", "--tag-display-limit", "0", self.deb)
        errors = [line for line in proc.stdout.splitlines() if line.startswith("E:")]
        self.assertEqual(errors, [], proc.stdout)
        # The warnings are listed in the test's output (docs/OPERATIONS.md#lintian).
        print("\nlintian:\n" + proc.stdout)

    def test_dpkg_unpacks_it_into_a_scratch_root(self):
        if os.geteuid() != 0:
            self.skipTest("dpkg --root needs root to set the owners")
        target = os.path.join(self.root, "root")
        os.makedirs(os.path.join(target, "var/lib/dpkg/info"))
        os.makedirs(os.path.join(target, "var/lib/dpkg/updates"))
        open(os.path.join(target, "var/lib/dpkg/status"), "w").close()
        # --unpack: the files, without the maintainer scripts, which would
        # run chrooted into a root that has no shell.
        proc = run("dpkg", "--root", target, "--force-depends", "--unpack", self.deb)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        for path in EXPECTED:
            installed = os.path.join(target, path)
            if path.startswith("./etc/"):  # conffiles wait as .dpkg-new until they are configured
                installed += ".dpkg-new"
            st = os.stat(installed)
            self.assertEqual((st.st_uid, st.st_gid), (0, 0), path)
        status = run("dpkg", "--root", target, "-s", "edgehub").stdout
        self.assertIn("Status: install ok unpacked", status)
        served = run(os.path.join(target, "usr/bin/edgehubd"), "--version").stdout
        self.assertRegex(served, r"^edgehubd \d+\.\d+\.\d+ ")

    def test_postinst_creates_the_user_and_the_data_directory(self):
        # The script runs with stand-ins for the commands that change the
        # system; each writes its arguments to a log.
        bin_dir = os.path.join(self.root, "stubs")
        os.makedirs(bin_dir, exist_ok=True)
        log = os.path.join(self.root, "calls.log")
        for name, status in (("getent", 2), ("adduser", 0), ("install", 0), ("chown", 0), ("chmod", 0),
                             ("systemctl", 0)):
            with open(os.path.join(bin_dir, name), "w") as f:
                f.write(f"#!/bin/sh\necho \"{name} $*\" >> {log}\nexit {status}\n")
            os.chmod(os.path.join(bin_dir, name), 0o755)
        env = dict(os.environ, PATH=bin_dir + ":/usr/bin:/bin")
        proc = run("sh", os.path.join(SOURCE_DIR, "contrib/debian/postinst"), "configure", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(log) as f:
            calls = f.read().splitlines()
        self.assertIn("adduser --system --group --home /var/lib/edgehub --no-create-home --quiet edgehub", calls)
        self.assertIn("install -d -o edgehub -g edgehub -m 0750 /var/lib/edgehub", calls)
        self.assertIn("chmod 0640 /etc/edgehub/edgehubd.conf /etc/edgehub/credentials.txt", calls)


if __name__ == "__main__":
    unittest.main()
