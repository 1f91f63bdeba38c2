"""What uploads in progress may hold of the disk (issue 14 item 3,
docs/FILES.md#limits): a per-user and a global budget, --keep-free room for
messages, a deadline for an upload that sends nothing, and upload
temporaries a crash left removed before the database opens."""
import hashlib
import os

from disk_harness import small_disk
from harness import HubTestCase, Server, reply_to, wait_until

SHA = "ab" * 32  # never checked: these uploads are not finished
READY = r"^\+OK Ready for "


def part_files(server):
    return [n for n in os.listdir(server.path("files")) if n.startswith(".upload-")]


class UploadBudgets(HubTestCase):
    def test_per_user_and_global_budgets_refuse_clearly_and_free_with_the_upload(self):
        with Server("--upload-budget-per-user", "1M", "--upload-budget", "2M") as server:
            alice = self.raw_login(server, "alice")
            self.assertRegex(reply_to(alice, f"put big 1100000 {SHA}")[0],
                             r"^-ERR 413 No room for 'big' \(1100000 bytes \(1\.0 MiB\)\): one user's uploads in "
                             r"progress may hold 1048576 bytes \(1\.0 MiB\) \(edgehubd --upload-budget-per-user\)")
            data = b"x" * 700000
            self.assertRegex(reply_to(alice, f"put a {len(data)} {hashlib.sha256(data).hexdigest()}")[0], READY)
            bob = self.raw_login(server, "bob")
            self.assertRegex(reply_to(bob, f"put b 700000 {SHA}")[0], READY)
            carol = self.raw_login(server, "carol")
            self.assertRegex(reply_to(carol, f"put c 700000 {SHA}")[0],
                             r"^-ERR 413 No room for 'c' \(700000 bytes\) now: uploads in progress hold 1400000 bytes "
                             r"\(1\.3 MiB\) and together may hold 2097152 bytes \(2\.0 MiB\) \(edgehubd --upload-budget\)")
            # alice's upload ends: its reservation is free for carol.
            alice.send(f"${len(data)}\n".encode() + data + b"$0\n")
            alice.expect(r"^\+OK Stored 'a': 700000 bytes")
            self.assertRegex(reply_to(carol, f"put c 700000 {SHA}")[0], READY)

    def test_an_upload_that_sends_nothing_is_dropped_at_its_deadline(self):
        # 3 s: bob's refused put must come while alice's upload is still
        # held, even in a sanitizer build; the test waits for the drop itself.
        with Server("--upload-timeout", "3", "--upload-budget", "1M") as server:
            alice = self.raw_login(server, "alice")
            bob = self.raw_login(server, "bob")
            self.assertRegex(reply_to(alice, f"put silent 700000 {SHA}")[0], READY)
            self.assertEqual(len(part_files(server)), 1)
            self.assertRegex(reply_to(bob, f"put b 700000 {SHA}")[0], r"^-ERR 413 .*--upload-budget")
            wait_until(lambda: "upload of 'silent' discarded: no data for 3 s" in server.log() and not part_files(server),
                       what="the silent upload dropped and its temporary removed")
            self.assertRegex(reply_to(bob, f"put b 700000 {SHA}")[0], READY, "the reservation was released")
            # The stream stays in step: $0 gets the upload's answer.
            self.assertEqual(reply_to(alice, "$0"),
                             ["-ERR 408 No data for 'silent' in 3 s (edgehubd --upload-timeout); upload discarded"])
            self.assertEqual(reply_to(alice, "list"), ["+OK The repository is empty"])


class UploadsOnASmallDisk(HubTestCase):
    def test_keep_free_leaves_room_for_other_users_messages(self):
        disk = small_disk(self, 8)
        with Server("--keep-free", "2M", data_dir=disk.path("data")) as server:
            alice = self.raw_login(server, "alice")
            size = disk.free_bytes() - (1 << 20)  # fits the disk, not the disk minus --keep-free
            self.assertRegex(reply_to(alice, f"put big {size} {SHA}")[0],
                             rf"^-ERR 507 Not enough disk space on the server for 'big' \({size} bytes .*: .* free, "
                             r"of which 2097152 bytes \(2\.0 MiB\) stay free for messages and logins "
                             r"\(edgehubd --keep-free\)")
            bob = self.raw_login(server, "bob")
            self.assertRegex(reply_to(bob, "message carol still room for this")[0], r"^\+OK carol is offline")
            self.assertRegex(reply_to(alice, f"put small {1 << 20} {SHA}")[0], READY)

    def test_a_crash_during_a_preallocated_upload_does_not_block_the_restart(self):
        disk = small_disk(self, 4)
        with Server("--keep-free", "0", data_dir=disk.path("data")) as server:
            alice = self.raw_login(server, "alice")
            size = disk.free_bytes() - 16 * 1024
            self.assertRegex(reply_to(alice, f"put huge {size} {SHA}")[0], READY)
            self.assertLess(disk.free_bytes(), 64 * 1024, "the preallocation took the disk")
            server.kill9()
            server.start()
            log = server.log()
            self.assertRegex(log, r"removed 1 upload temporaries left by an earlier run \(\d+ bytes")
            self.assertNotIn("read-mostly", log, "the space came back before the database opened")
            self.assertEqual(part_files(server), [])
            bob = self.raw_login(server, "bob")
            self.assertRegex(reply_to(bob, "message carol after the crash")[0], r"^\+OK carol is offline")
