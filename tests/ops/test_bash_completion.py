"""Bash completion for edgehubd and edgehub (contrib/bash-completion/edgehub,
docs/OPERATIONS.md#bash-completion): options from the binary's --help,
edgehubd's subcommands first, file names otherwise."""
import os
import subprocess
import unittest

from harness import BIN_DIR

SOURCE_DIR = os.environ.get("EDGEHUB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(SOURCE_DIR, "contrib", "bash-completion", "edgehub")


def complete(*words):
    """What bash would offer for the last of words."""
    line = " ".join(f"'{w}'" for w in words)
    program = (f"source '{SCRIPT}'; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
               f"_edgehub_complete {words[0]}; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30,
                          env=dict(os.environ, PATH=os.path.abspath(BIN_DIR) + ":" + os.environ["PATH"]))
    return [line for line in proc.stdout.splitlines() if line]


class BashCompletion(unittest.TestCase):
    def test_server_options(self):
        self.assertEqual(complete("edgehubd", "--max-att"), ["--max-attempts"])
        self.assertIn("--print-config", complete("edgehubd", "--print"))

    def test_server_subcommands(self):
        self.assertEqual(complete("edgehubd", "mi"), ["migrate"])

    def test_client_options(self):
        self.assertEqual(complete("edgehub", "--stop"), ["--stop-on-error"])


if __name__ == "__main__":
    unittest.main()
