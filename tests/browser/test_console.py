"""The web console in a real headless Chromium (docs/CONSOLE.md#browser-tests).

Starts the real edgehubd (device port and HTTP port, temporary data directory
and credentials, tests/integration/harness.py) and runs run.mjs, which drives
Debian's /usr/bin/chromium with playwright-core (npm, package-lock.json; no
browser download) and real edgehub terminal clients. Screenshots go to
BUILD_DIR/tests/browser/screenshots/.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from harness import BUILD_DIR, DEFAULT_TIMEOUT, EDGEHUB, EDGEHUBD, Server  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SHOTS = os.path.join(BUILD_DIR, "tests", "browser", "screenshots")
CHROMIUM = "/usr/bin/chromium"
ADMIN = "root"
# One account per role in a case, so cases never meet as the same user.
USERS = {name: f"{name}-pw-1" for name in
         ("alice", "bob", "carol", "dave", "erin", "grace", "heidi", "ivan", "judy", "ken", "lee", "mallory", "oscar",
          "peggy", ADMIN)}


def grant_admin(server, name):
    """The admin role is a flag on the account, set with the server's account
    tool (docs/HTTP_API.md)."""
    out = subprocess.run([EDGEHUBD, "user", "admin", name, "on", "--data-dir", server.data_dir], capture_output=True,
                         timeout=DEFAULT_TIMEOUT)
    if out.returncode != 0 and b"admin not in" in out.stderr:
        return False  # the role is not on this build: the admin case skips
    if out.returncode != 0:
        raise AssertionError(f"edgehubd user admin {name} on: {out.stdout!r} {out.stderr!r}")
    return True


def missing_tools():
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing: run scripts/install-deps.sh"
    if not os.path.isdir(os.path.join(REPO, "node_modules", "playwright-core")):
        return "node_modules/playwright-core is missing: run scripts/install-deps.sh"
    if not shutil.which("node"):
        return "node is missing: run scripts/install-deps.sh"
    return None


def serves_http():
    out = subprocess.run([EDGEHUBD, "--help"], capture_output=True, text=True, timeout=DEFAULT_TIMEOUT)
    return "--http-port" in out.stdout + out.stderr


class ConsoleInBrowser(unittest.TestCase):
    def test_console_cases(self):
        problem = missing_tools()
        if problem:
            self.fail(problem)  # the set-up script installs them: a missing tool is a broken set-up
        if not serves_http():
            self.skipTest("edgehubd has no --http-port yet (the web server, src/web/server/, is not on this build)")
        # http=True: the harness gives the server a free HTTP port (tests/integration/ports.py).
        with Server(credentials=USERS, http=True) as server:
            admin = grant_admin(server, ADMIN)
            work = tempfile.mkdtemp(prefix="browser-", dir=server.root)
            env = dict(os.environ, EDGEHUB_HTTP_URL=f"http://127.0.0.1:{server.http_port}/", EDGEHUB_PORT=str(server.port),
                       EDGEHUB_CLIENT=EDGEHUB, EDGEHUB_USERS=json.dumps(USERS), EDGEHUB_SHOTS=SHOTS,
                       EDGEHUB_WORK=work, EDGEHUB_ADMIN="1" if admin else "")
            cases = os.environ.get("EDGEHUB_BROWSER_CASES", "").split()
            run = subprocess.run(["node", os.path.join(HERE, "run.mjs"), *cases], env=env, cwd=HERE,
                                 capture_output=True, text=True, timeout=30 * DEFAULT_TIMEOUT)
            print(run.stdout + run.stderr, file=sys.stderr)
            print(f"screenshots: {SHOTS}", file=sys.stderr)
            results = [line for line in run.stdout.splitlines() if re.match(r"^(ok|skip|FAIL) ", line)]
            self.assertTrue(results, "run.mjs reported no case")
            failed = [line for line in results if line.startswith("FAIL")]
            self.assertEqual(failed, [], f"browser cases failed (log {server.stderr_path})")
            self.assertEqual(run.returncode, 0)
            if all(line.startswith("skip") for line in results):
                self.skipTest("; ".join(results))  # nothing ran: say so instead of passing


if __name__ == "__main__":
    unittest.main()
