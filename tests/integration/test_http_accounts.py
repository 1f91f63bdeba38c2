"""The operator's account routes and the browser sessions' expiry against a
real edgehubd (docs/HTTP_API.md#admin, docs/HTTP_API.md#browser-sessions):
reset a password and delete an account from the web console, as
`edgehubd user passwd|del` do; --http-session-idle and --http-session-max;
an expired cookie gets 401 and its device, WebSocket and presence end;
the Host check of the plaintext listener."""
import json
import time
import unittest

from harness import DEFAULT_TIMEOUT, Client, HubTestCase, Server, reply_to, run_edgehubd
from test_http_api import Http, WebSocket, grant_admin


def make_admin(server, name):
    """NAME made an admin (grant_admin), then logged in: its Http."""
    grant_admin(server, name)
    admin = Http(server)
    assert admin.login(name, server.credentials[name])[0] == 200
    return admin


class AdminAccounts(HubTestCase):
    def setUp(self):
        self.server = Server(http=True)
        self.addCleanup(self.server.stop)
        self.admin = make_admin(self.server, "alice")

    def login_reply(self, name, password):
        """The device protocol's answer to a login."""
        conn = self.raw(self.server)
        conn.expect(r"^\+OK EDGEHUB/")
        return reply_to(conn, f"login {name} {password}")[0]

    def test_reset_password_changes_the_device_login(self):
        status, answer = self.admin.json("POST", "/api/v1/admin/accounts/bob/password", {"password": "n3w-b0b"})
        self.assertEqual((status, answer), (200, {}))
        self.assertTrue(self.login_reply("bob", "n3w-b0b").startswith("+OK Welcome"))
        self.assertFalse(self.login_reply("bob", self.server.credentials["bob"]).startswith("+OK"))
        log = self.server.log()
        self.assertRegex(log, r"security: event=reset_password addr=127\.0\.0\.1 user=bob by=alice")
        self.assertNotIn("n3w-b0b", log)

    def test_a_refused_password_changes_nothing(self):
        for body, code in (({"password": "has space"}, "invalid_field"), ({"password": ""}, "invalid_field"),
                           ({"password": 7}, "invalid_field"), ({}, "invalid_field")):
            status, answer = self.admin.json("POST", "/api/v1/admin/accounts/bob/password", body)
            self.assertEqual((status, answer["code"]), (400, code), body)
        self.assertTrue(self.login_reply("bob", self.server.credentials["bob"]).startswith("+OK Welcome"))

    def test_delete_logs_the_account_out_everywhere(self):
        terminal = self.raw_login(self.server, "carol")
        browser = Http(self.server)
        self.assertEqual(browser.login("dave", self.server.credentials["dave"])[0], 200)
        socket = WebSocket(self.server.http_port, browser.cookie)
        self.addCleanup(socket.close)
        socket.event(lambda e: e["type"] == "hello")
        self.assertEqual(self.admin.json("DELETE", "/api/v1/admin/accounts/carol"), (200, {}))
        terminal.expect(r"^!BYE Your account was removed")
        self.assertTrue(terminal.closed_by_server())
        self.assertFalse(self.login_reply("carol", self.server.credentials["carol"]).startswith("+OK"))
        self.assertEqual(self.admin.json("DELETE", "/api/v1/admin/accounts/dave"), (200, {}))
        bye = socket.event(lambda e: e["type"] == "bye")
        self.assertEqual(bye["reason"], "Your account was removed")
        self.assertEqual(browser.json("GET", "/api/v1/session")[0], 401)
        self.assertEqual(Http(self.server).login("dave", self.server.credentials["dave"])[0], 401)
        _, accounts = self.admin.json("GET", "/api/v1/admin/accounts")
        self.assertEqual(sorted(a["name"] for a in accounts["accounts"]), ["alice", "bob", "erin", "frank"])
        self.assertRegex(self.server.log(), r"security: event=delete_account addr=127\.0\.0\.1 user=dave by=alice")

    def test_unknown_accounts_are_404(self):
        for method, path, body in (("POST", "/api/v1/admin/accounts/nobody/password", {"password": "x1"}),
                                   ("DELETE", "/api/v1/admin/accounts/nobody", None),
                                   ("POST", "/api/v1/admin/accounts/nobody/unlock", None)):
            status, answer = self.admin.json(method, path, body)
            self.assertEqual((status, answer["code"]), (404, "not_found"), path)

    def test_non_admins_and_missing_csrf_are_403(self):
        bob = Http(self.server)
        bob.login("bob", self.server.credentials["bob"])
        for who, csrf, code in ((bob, True, "forbidden"), (self.admin, False, "csrf")):
            for method, path, body in (("POST", "/api/v1/admin/accounts/erin/password", {"password": "x1"}),
                                       ("DELETE", "/api/v1/admin/accounts/erin", None)):
                status, answer = who.json(method, path, body, csrf=csrf)
                self.assertEqual((status, answer["code"]), (403, code), (path, code))
        self.assertTrue(self.login_reply("erin", self.server.credentials["erin"]).startswith("+OK Welcome"))


class SessionExpiry(HubTestCase):
    def test_an_idle_session_ends_with_its_device_and_websocket(self):
        # --heartbeat 1: the hub's ping asks the session within a second of
        # its expiry, so the device logs out without any request.
        server = Server("--http-session-idle", "2", "--heartbeat", "1", http=True)
        self.addCleanup(server.stop)
        watcher = Client(server, "bob")  # the terminal client answers the pings
        self.addCleanup(watcher.release)
        browser = Http(server)
        self.assertEqual(browser.login("alice", server.credentials["alice"])[0], 200)
        socket = WebSocket(server.http_port, browser.cookie)
        self.addCleanup(socket.close)
        socket.event(lambda e: e["type"] == "hello")
        watcher.expect(r"^alice logged in$")
        started = time.monotonic()
        bye = socket.event(lambda e: e["type"] == "bye")  # no request meanwhile
        self.assertEqual(bye["reason"], "Session expired")
        self.assertGreaterEqual(time.monotonic() - started, 1.0)  # not before the idle time
        watcher.expect(r"^alice logged out$")
        self.assertEqual(browser.json("GET", "/api/v1/session")[0], 401)

    def test_an_expired_cookie_gets_401_at_once(self):
        # No heartbeat: the cookie's next request is what ends the session.
        server = Server("--http-session-idle", "1", "--heartbeat", "0", http=True)
        self.addCleanup(server.stop)
        watcher = self.raw_login(server, "bob")
        browser = Http(server)
        self.assertEqual(browser.login("alice", server.credentials["alice"])[0], 200)
        watcher.expect(r"^!LOGIN alice")
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        # Each poll is a request, which would keep the session alive: so the
        # polls are spaced by more than the idle time, with a deadline.
        while browser.json("GET", "/api/v1/session")[0] == 200:
            self.assertLess(time.monotonic(), deadline, "the session never expired")
            time.sleep(1.2)
        watcher.expect(r"^!LOGOUT alice")
        self.assertEqual(browser.json("GET", "/api/v1/devices")[0], 401)


class SessionOptions(unittest.TestCase):
    def test_bad_values_refuse_the_start(self):
        for args, message in ((["--http-session-idle", "0"], "--http-session-idle"),
                              (["--http-session-max", "0"], "--http-session-max"),
                              (["--http-session-idle", "600", "--http-session-max", "60"],
                               "--http-session-idle (600 s) is longer than --http-session-max (60 s)")):
            status, _out, err = run_edgehubd("--port", "0", "--guest", *args)
            self.assertEqual(status, 2, args)
            self.assertIn(message, err)

    def test_the_limits_page_shows_them(self):
        server = Server("--http-session-idle", "90", "--http-session-max", "900", http=True)
        self.addCleanup(server.stop)
        admin = make_admin(server, "alice")
        _, answer = admin.json("GET", "/api/v1/admin/limits")
        values = {l["name"]: l["value"] for l in answer["limits"]}
        self.assertEqual((values["--http-session-idle"], values["--http-session-max"]), (90, 900))
        status, head, _ = Http(server).login("bob", server.credentials["bob"])
        self.assertIn("Max-Age=900", head)


class HostHeader(HubTestCase):
    """DNS rebinding (docs/SECURITY.md#http-listener): plain HTTP answers only
    a Host of this machine's loopback or the --http-bind address."""

    def test_a_foreign_host_gets_421_and_changes_nothing(self):
        server = Server(http=True)
        self.addCleanup(server.stop)
        http = Http(server)
        for host in ("evil.example", f"evil.example:{server.http_port}", "127.0.0.1.nip.io", "10.0.0.1"):
            status, head, payload = http.call("POST", "/api/v1/login", {"name": "alice", "password": "wonder1and"},
                                              headers=[f"Host: {host}"])
            self.assertEqual(status, 421, host)
            self.assertEqual(json.loads(payload)["code"], "misdirected_request", host)
            self.assertNotIn("Set-Cookie", head)
        for host in ("localhost", f"localhost:{server.http_port}", f"127.0.0.1:{server.http_port}",
                     f"[::1]:{server.http_port}"):
            self.assertEqual(http.call("GET", "/", headers=[f"Host: {host}"])[0], 200, host)
        self.assertEqual(http.login("alice", "wonder1and")[0], 200)
        self.assertEqual(http.json("GET", "/api/v1/session")[0], 200)


if __name__ == "__main__":
    unittest.main()
