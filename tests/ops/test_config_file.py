"""edgehubd's configuration file (docs/OPERATIONS.md#the-configuration-file):
--config FILE (or EDGEHUB_CONFIG, standing in for /etc/edgehub/edgehubd.conf)
sets any long option; the command line overrides it; a bad line is refused
with FILE:LINE and exit status 2; --print-config prints the effective
configuration, without passwords, in a form that reads back the same."""
import os
import shutil
import tempfile
import unittest

from harness import HubTestCase, Server, run_edgehubd


def settings(text):
    """name -> value of --print-config's active lines."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" = ")
            out[name] = value
    return out


class ConfigFile(HubTestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="edgehub-conf-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, text, name="edgehubd.conf"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def print_config(self, *args, env=None):
        status, out, err = run_edgehubd(*args, "--print-config", env=env)
        self.assertEqual(status, 0, err)
        return out

    def test_values_are_read(self):
        path = self.write("# a comment\n\nmax-attempts = 5\nlog-level = \"debug\"\nmax-file-size = 500M\n"
                          "guest = true\nproxy-protocol = [10.0.0.0/8, \"192.168.0.0/16\"]\n")
        got = settings(self.print_config("--config", path))
        self.assertEqual(got["max-attempts"], "5")
        self.assertEqual(got["log-level"], '"debug"')
        self.assertEqual(got["guest"], "true")
        self.assertEqual(got["proxy-protocol"], '["10.0.0.0/8", "192.168.0.0/16"]')
        self.assertIn(got["max-file-size"], ('"500M"', str(500 * 1024 * 1024)))

    def test_a_server_runs_with_it(self):
        path = self.write("max-clients = 2\n")
        with Server("--config", path) as server:
            for _ in range(2):
                self.raw(server).expect(r"^\+OK EDGEHUB/1 login")
            extra = self.raw(server)
            self.assertEqual(extra.line(), "-ERR 503 Server full (limit 2 connections), try again later")

    def test_the_command_line_overrides_the_file(self):
        path = self.write("max-attempts = 5\nheartbeat = 7\n")
        got = settings(self.print_config("--config", path, "--max-attempts", "2"))
        self.assertEqual(got["max-attempts"], "2")
        self.assertEqual(got["heartbeat"], "7")

    def test_the_default_file_is_read_when_no_config_is_given(self):
        path = self.write("heartbeat = 9\n")
        env = dict(os.environ, EDGEHUB_CONFIG=path)
        self.assertEqual(settings(self.print_config(env=env))["heartbeat"], "9")
        env = dict(os.environ, EDGEHUB_CONFIG=os.path.join(self.dir, "missing.conf"))
        self.assertEqual(settings(self.print_config(env=env))["heartbeat"], "30")

    def test_a_bad_value_names_file_and_line(self):
        path = self.write("# settings\nport = 7000\n\nmax-attempts = 9\n")
        status, _out, err = run_edgehubd("--config", path)
        self.assertEqual(status, 2)
        self.assertIn(f"{path}:4:", err)
        self.assertIn("max-attempts", err)
        path = self.write("bind = not-an-address\n", "bind.conf")
        status, _out, err = run_edgehubd("--config", path)
        self.assertEqual(status, 2)
        self.assertIn(f"{path}:1:", err)
        self.assertIn("not-an-address", err)

    def test_an_unknown_key_is_refused(self):
        path = self.write("port = 7000\nmax-atempts = 2\n")
        status, _out, err = run_edgehubd("--config", path)
        self.assertEqual(status, 2)
        self.assertIn(f"{path}:2: unknown option 'max-atempts'", err)
        for line in ("help = true\n", "config = other.conf\n", "[network]\n", "http.port = 1\n"):
            path = self.write(line, "odd.conf")
            status, _out, err = run_edgehubd("--config", path)
            self.assertEqual(status, 2, line)
            self.assertIn(f"{path}:1:", err)

    def test_a_missing_file_given_is_refused(self):
        status, _out, err = run_edgehubd("--config", os.path.join(self.dir, "nope.conf"))
        self.assertEqual(status, 2)
        self.assertIn("nope.conf", err)

    def test_print_config_reads_back_the_same(self):
        path = self.write("max-attempts = 4\nkeep-free = 1G\nguest = true\nproxy-protocol = 10.0.0.0/8\n"
                          "database = postgresql://hub@db.example:5432/edgehub\nhttp-bind = \"::1\"\n")
        first = self.print_config("--config", path)
        again = self.print_config("--config", self.write(first, "printed.conf"))
        self.assertEqual(first, again)
        self.assertEqual(settings(first)["database"], '"postgresql://hub@db.example:5432/edgehub"')

    def test_a_password_is_accepted_in_the_file_and_never_printed(self):
        path = self.write("database = postgresql://hub:s3cret-pw@db.example:5432/edgehub\n")
        out = self.print_config("--config", path)
        self.assertNotIn("s3cret-pw", out)
        self.assertIn("# database =", out)
        self.assertIn("hub@db.example:5432/edgehub", out)
        # On the command line, where ps shows it, it is still refused.
        status, _out, err = run_edgehubd("--database", "postgresql://hub:s3cret-pw@db.example/edgehub")
        self.assertEqual(status, 2)
        self.assertIn("password", err)


if __name__ == "__main__":
    unittest.main()
