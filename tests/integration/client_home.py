"""The home and configuration directory of every client a test starts,
never the real ~/.config (nor edgehubd's /etc/edgehub/edgehubd.conf) (imported by harness.py, which sets it up first).
Its known_hosts pins each test server's certificate as Server.start() learns
it, so clients connect over TLS, verified, without the first-use line
(docs/SECURITY.md#tls)."""
import atexit
import os
import re
import shutil
import subprocess
import tempfile

CLIENT_HOME = tempfile.mkdtemp(prefix="edgehub-home-")
atexit.register(shutil.rmtree, CLIENT_HOME, True)
os.environ["HOME"] = CLIENT_HOME
os.environ["XDG_CONFIG_HOME"] = os.path.join(CLIENT_HOME, ".config")
# Nor the real configuration file of edgehubd: an installed
# /etc/edgehub/edgehubd.conf must not reach a test's server
# (docs/OPERATIONS.md#the-configuration-file).
os.environ.setdefault("EDGEHUB_CONFIG", "")
KNOWN_HOSTS = os.path.join(CLIENT_HOME, ".config", "edgehub", "known_hosts")
FINGERPRINT_LINE = re.compile(r"TLS certificate fingerprint (SHA256:[A-Za-z0-9+/]{43})")


def pin_server(port, fingerprint, known_hosts=KNOWN_HOSTS):
    """Writes (or replaces) the pin of 127.0.0.1:port, as a first connection
    would have; returns the fingerprint."""
    os.makedirs(os.path.dirname(known_hosts), exist_ok=True)
    key = f"127.0.0.1:{port} "
    lines = []
    if os.path.exists(known_hosts):
        with open(known_hosts) as f:
            lines = [line for line in f if not line.startswith(key)]
    lines.append(f"{key}{fingerprint}\n")
    with open(known_hosts, "w") as f:
        f.writelines(lines)
    return fingerprint


def server_fingerprint(log, data_dir, server_args):
    """The fingerprint a server's start logged, or (at a quieter --log-level)
    what `edgehubd fingerprint` says of its certificate."""
    found = FINGERPRINT_LINE.findall(log)
    if found:
        return found[-1]
    from harness import DEFAULT_TIMEOUT, EDGEHUBD
    cert = ["--cert", server_args[server_args.index("--cert") + 1]] if "--cert" in server_args else []
    out = subprocess.run([EDGEHUBD, "fingerprint", "--data-dir", data_dir, *cert], capture_output=True,
                         timeout=DEFAULT_TIMEOUT)
    if out.returncode != 0:
        raise AssertionError(f"no TLS fingerprint: {out.stderr.decode(errors='replace')}")
    return out.stdout.decode().strip()
