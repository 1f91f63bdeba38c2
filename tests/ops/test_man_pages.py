"""The man pages edgehubd(8) and edgehub(1) (docs/man/) agree with the
binaries' --help: scripts/make-man.sh writes them from it with help2man, and
this test writes them again and compares. A failure means an option or a
help text changed: run scripts/make-man.sh and commit docs/man/."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN_DIR

SOURCE_DIR = os.environ.get("EDGEHUB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def page_text(path):
    """The page without help2man's header comment and .TH line, which hold
    the help2man version and a date."""
    with open(path) as f:
        return [line for line in f.read().splitlines() if not line.startswith((".\\\"", ".TH "))]


class ManPages(unittest.TestCase):
    def test_the_pages_agree_with_help(self):
        if not shutil.which("help2man"):
            self.skipTest("help2man is not installed (scripts/install-deps.sh installs it)")
        out = tempfile.mkdtemp(prefix="edgehub-man-")
        self.addCleanup(shutil.rmtree, out, ignore_errors=True)
        proc = subprocess.run(["bash", os.path.join(SOURCE_DIR, "scripts", "make-man.sh"), BIN_DIR, out],
                              cwd=SOURCE_DIR, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for page in ("edgehubd.8", "edgehub.1"):
            committed = page_text(os.path.join(SOURCE_DIR, "docs", "man", page))
            self.assertEqual(page_text(os.path.join(out, page)), committed,
                             f"docs/man/{page} differs from --help: run scripts/make-man.sh")

    def test_every_option_is_in_its_page(self):
        for binary, page in (("edgehubd", "edgehubd.8"), ("edgehub", "edgehub.1")):
            help_text = subprocess.run([os.path.join(BIN_DIR, binary), "--help"], capture_output=True, text=True,
                                       timeout=20, env=dict(os.environ, EDGEHUB_CONFIG="")).stdout
            options = set(re.findall(r"(?<![\w-])--[a-z0-9][a-z0-9-]*", help_text))
            self.assertGreater(len(options), 3, help_text)
            with open(os.path.join(SOURCE_DIR, "docs", "man", page)) as f:
                text = f.read().replace("\\-", "-")
            for option in options:
                self.assertIn(option, text, f"{option} of {binary} --help is not in docs/man/{page}")


if __name__ == "__main__":
    unittest.main()
