"""File repository under failure: a download killed half-way resumes from
where it stopped (and starts over if the file changed), and an upload
killed half-way, client or server, never leaves a partial file visible."""
import os
import re
import signal
import time
import unittest

from harness import HubTestCase, Server, wait_until
from test_files import MIB, big_file_bytes, make_file, put, repo_path, sha256_of, upload_temps

# Large enough that a transfer is still running a few milliseconds after it
# is seen to have started.
SIZE = min(big_file_bytes(), 256 * MIB)
LONG = 300


def freeze_when(client, path, threshold, timeout=LONG):
    """Stops the client (SIGSTOP) as soon as the file at path holds at least
    threshold bytes, then kills it (kill -9). Polls a file: there is no event
    to wait for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.path.getsize(path) >= threshold:
                client.proc.send_signal(signal.SIGSTOP)
                client.kill9()
                return
        except FileNotFoundError:
            pass
        if client.proc.poll() is not None:
            raise AssertionError(f"the client ended before {path} reached {threshold} bytes: {client.out.seen[-5:]}")
        time.sleep(0.001)
    raise AssertionError(f"{path} never reached {threshold} bytes")


def temp_upload_path(server):
    temps = upload_temps(server)
    return repo_path(server, temps[0]) if temps else os.path.join(repo_path(server), ".none")


class ResumeDownload(HubTestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.alice = self.client(self.server, "alice")
        self.src = os.path.join(self.alice.cwd, "resume.bin")
        self.sha = make_file(self.src, SIZE, seed=3)
        put(self.alice, self.src, timeout=LONG)

    def interrupted_get(self):
        """bob starts get resume.bin and is killed once 1 MiB has arrived;
        returns his directory and how much the part file kept."""
        bob = self.client(self.server, "bob")
        bob.send("get resume.bin")
        part = os.path.join(bob.cwd, ".resume.bin.part")
        freeze_when(bob, part, MIB)
        have = os.path.getsize(part)
        self.assertGreater(have, 0)
        self.assertLess(have, SIZE, "the download finished before it could be interrupted")
        self.assertFalse(os.path.exists(os.path.join(bob.cwd, "resume.bin")))
        return bob.cwd, have

    def test_killed_download_resumes_where_it_stopped(self):
        cwd, have = self.interrupted_get()
        # Another device in the same directory (bob may still be logged in
        # for a moment after his kill -9): the resume belongs to the directory.
        carol = self.client(self.server, "carol", cwd=cwd)
        carol.send("get resume.bin")
        carol.expect(rf"^Resuming resume\.bin at byte {have} of {SIZE}$")
        carol.expect(rf"^Downloaded resume\.bin: {SIZE} bytes, SHA-256 verified, resumed at byte {have}$", LONG)
        self.assertEqual(sha256_of(os.path.join(cwd, "resume.bin")), self.sha)
        self.assertEqual(os.listdir(cwd), ["resume.bin"])
        # Less than the whole file was sent again: the server says from where.
        log = self.server.log()
        self.assertRegex(log, rf"carol \(127\.0\.0\.1\) gets 'resume\.bin' from offset {have}: ")
        self.assertNotRegex(log, r"carol \(127\.0\.0\.1\) gets 'resume\.bin' from offset 0:")

    def test_a_file_changed_meanwhile_is_fetched_again_from_the_start(self):
        cwd, have = self.interrupted_get()
        new_sha = make_file(self.src, SIZE, seed=4)
        put(self.alice, self.src, flags=" -f", timeout=LONG)
        carol = self.client(self.server, "carol", cwd=cwd)
        carol.send("get resume.bin")
        carol.expect(r"^resume\.bin changed on the server: downloading it again from the start$")
        carol.expect(rf"^Downloaded resume\.bin: {SIZE} bytes, SHA-256 verified$", LONG)
        self.assertEqual(sha256_of(os.path.join(cwd, "resume.bin")), new_sha)


class AtomicUpload(HubTestCase):
    def start_upload(self, server):
        alice = self.client(server, "alice")
        src = os.path.join(alice.cwd, "atomic.bin")
        make_file(src, SIZE, seed=5)
        alice.send(f"put {src}")
        # The temporary appears once the client has hashed the file.
        wait_until(lambda: upload_temps(server), timeout=LONG, what="the upload's temporary")
        freeze_when(alice, temp_upload_path(server), MIB)
        self.assertFalse(os.path.exists(repo_path(server, "atomic.bin")))

    def test_client_killed_mid_upload_leaves_nothing(self):
        with Server() as server:
            self.start_upload(server)
            # The session ends with the connection: its temporary goes too.
            wait_until(lambda: upload_temps(server) == [], what="the temporary removed")
            self.assertFalse(os.path.exists(repo_path(server, "atomic.bin")))
            bob = self.client(server, "bob")
            bob.command("list", r"^The repository is empty$")
            bob.command("get atomic.bin", r"^No file named 'atomic.bin' in the repository")

    def test_server_killed_mid_upload_leaves_nothing_visible(self):
        with Server() as server:
            self.start_upload(server)
            server.kill9()
            self.assertFalse(os.path.exists(repo_path(server, "atomic.bin")))
            server.start()
            bob = self.client(server, "bob")
            bob.command("list", r"^The repository is empty$")
            # Opening the repository removed what the crash left behind.
            self.assertEqual(upload_temps(server), [])
            bob.command("get atomic.bin", r"^No file named 'atomic.bin' in the repository")
            # And the repository works as before.
            small = os.path.join(bob.cwd, "after.txt")
            with open(small, "w") as f:
                f.write("after the crash\n")
            put(bob, small)


if __name__ == "__main__":
    unittest.main()
