"""Edge data (docs/EDGE_DATA.md#the-commands-end-to-end): EDG, UED, SCS, DTE
and their logs, through the real binaries."""
import os
import re
import statistics
import unittest

from harness import Server, wait_until

TS = r"\d{2} \w+ \d{4} \d{2}:\d{2}:\d{2}"


def write_values(path, values):
    with open(path, "w") as f:
        f.write("".join(f"{v}\n" for v in values))


def read_values(path):
    with open(path) as f:
        return [int(line) for line in f]


class EdgeData(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.alice = self.server.client("alice", env={**os.environ, "EDGEHUB_SEED": "42"})

    def tearDown(self):
        self.server.__exit__(None, None, None)

    def upload_log(self):
        path = self.server.path("upload-log.txt")
        return open(path).read() if os.path.exists(path) else ""

    def test_edg_writes_the_file_repeatably(self):
        self.alice.command("EDG 7 100", r"Data generation done, 100 data samples .* alice-7\.txt")
        values = read_values(os.path.join(self.alice.cwd, "alice-7.txt"))
        self.assertEqual(len(values), 100)
        self.assertTrue(all(-10**9 <= v <= 10**9 for v in values))
        first = open(os.path.join(self.alice.cwd, "alice-7.txt")).read()
        self.alice.command("EDG 7 100", r"Data generation done")
        self.assertEqual(open(os.path.join(self.alice.cwd, "alice-7.txt")).read(), first, "same seed, same file")

    def test_edg_errors(self):
        for args, pattern in [("", r"^Usage: EDG FILEID COUNT \(FILEID and COUNT are missing\)$"),
                              ("7", r"^Usage: EDG FILEID COUNT \(COUNT is missing\)$"), ("x 5", r"FILEID must be"),
                              ("7 x", r"COUNT must be a non-negative integer"), ("-1 5", r"must not be negative"),
                              ("7 -5", r"COUNT must not be negative"), ("7 99999999999", r"COUNT too large")]:
            with self.subTest(args=args):
                self.alice.command(f"EDG {args}".strip(), pattern)
        self.assertEqual(os.listdir(self.alice.cwd), [])

    def test_upload_compute_delete_round_trip(self):
        self.alice.command("EDG 3 1000", r"Data generation done")
        values = read_values(os.path.join(self.alice.cwd, "alice-3.txt"))
        self.alice.command("UED 3", r"file 3 uploaded: 1000 values")
        stored = self.server.path("uploads", "alice", "alice-3.txt")
        self.assertEqual(open(stored).read(), open(os.path.join(self.alice.cwd, "alice-3.txt")).read())
        self.assertRegex(self.upload_log(), rf"^alice; {TS}; 3; 1000\n$")
        expected = {
            "SUM": str(sum(values)),
            "MAX": str(max(values)),
            "MIN": str(min(values)),
            "COUNT": "1000",
            "AVERAGE": f"{sum(values) / len(values):.6f}",
            "MEDIAN": format(statistics.median(values), "g") if len(values) % 2 else None,
        }
        for op, value in expected.items():
            if value is None:
                continue
            with self.subTest(op=op):
                self.alice.command(f"SCS 3 {op.lower()}", rf"^file 3: {op} = {re.escape(value)}$")
        median = statistics.median(values)
        median_text = str(int(median)) if median == int(median) else f"{median:.1f}"
        self.alice.command("SCS 3 MEDIAN", rf"^file 3: MEDIAN = {re.escape(median_text)}$")
        stddev = self.alice.command("SCS 3 STDDEV", r"^file 3: STDDEV = ([\d.]+)$").group(1)
        self.assertAlmostEqual(float(stddev), statistics.pstdev(values), places=4)
        self.alice.command("DTE 3", r"file 3 removed")
        self.assertFalse(os.path.exists(stored))
        log = open(self.server.path("deletion-log.txt")).read()
        self.assertRegex(log, rf"^alice; {TS}; 3; 1000\n$")
        self.alice.command("DTE 3", r"file 3 does not exist on the server")
        self.alice.command("SCS 3 SUM", r"file 3 does not exist on the server")

    def test_sum_beyond_64_bits_is_exact(self):
        big = 9_223_372_036_854_775_807
        values = [big] * 5 + [-9_223_372_036_854_775_808] + [big] * 4
        write_values(os.path.join(self.alice.cwd, "alice-9.txt"), values)
        self.alice.command("UED 9", r"file 9 uploaded: 10 values")
        self.alice.command("SCS 9 SUM", rf"^file 9: SUM = {sum(values)}$")
        self.assertGreater(sum(values), 2**63)
        avg = sum(values) / 10  # float is close enough to compare the integer part
        self.alice.command("SCS 9 AVERAGE", rf"^file 9: AVERAGE = {str(int(avg))[:10]}")

    def test_bad_content_is_refused_with_line_number_and_nothing_stored(self):
        with open(os.path.join(self.alice.cwd, "alice-4.txt"), "w") as f:
            f.write("1\n2\nthree\n4\n")
        self.alice.command("UED 4", r"file 4 refused: line 3: not an integer.*nothing was stored")
        self.assertFalse(os.path.exists(self.server.path("uploads", "alice", "alice-4.txt")))
        self.assertEqual(self.upload_log(), "")
        self.alice.command("SCS 4 SUM", r"does not exist on the server")
        self.alice.command("echo still here", r"still here ACK")  # the stream stayed in sync

    def test_reupload_replaces_and_empty_file(self):
        write_values(os.path.join(self.alice.cwd, "alice-5.txt"), [1, 2, 3])
        self.alice.command("UED 5", r"uploaded: 3 values")
        write_values(os.path.join(self.alice.cwd, "alice-5.txt"), [10, 20])
        self.alice.command("UED 5", r"uploaded: 2 values")
        self.alice.command("SCS 5 SUM", r"^file 5: SUM = 30$")
        self.assertEqual(len(self.upload_log().splitlines()), 2)
        open(os.path.join(self.alice.cwd, "alice-6.txt"), "w").close()
        self.alice.command("UED 6", r"uploaded: 0 values")
        self.alice.command("SCS 6 COUNT", r"^file 6: COUNT = 0$")
        self.alice.command("SCS 6 AVERAGE", r"file 6 holds no values: AVERAGE is undefined")

    def test_upload_and_compute_errors(self):
        self.alice.command("UED", r"^Usage: UED FILEID$")
        self.alice.command("UED 8", r"no such local file alice-8\.txt")
        self.alice.command("SCS 8", r"Usage: SCS FILEID OP")
        write_values(os.path.join(self.alice.cwd, "alice-8.txt"), [5])
        self.alice.command("UED 8", r"uploaded")
        self.alice.command("SCS 8 MODE", r"unknown OP 'MODE'")
        self.alice.command("SCS x SUM", r"FILEID must be")
        self.alice.command("DTE", r"Usage: DTE FILEID")

    def test_devices_cannot_touch_each_others_files(self):
        write_values(os.path.join(self.alice.cwd, "alice-1.txt"), [1, 2])
        self.alice.command("UED 1", r"uploaded")
        bob = self.server.client("bob")
        bob.command("SCS 1 SUM", r"file 1 does not exist on the server")
        bob.command("DTE 1", r"file 1 does not exist on the server")
        self.alice.command("SCS 1 SUM", r"^file 1: SUM = 3$")

    def test_ten_million_integers_against_an_independent_computation(self):
        count = int(os.environ.get("EDGEHUB_EDGE_COUNT", "10000000"))
        self.alice.command(f"EDG 10 {count}", r"Data generation done", timeout=120)
        self.alice.command("UED 10", rf"uploaded: {count} values", timeout=300)
        total, low, high, n = 0, None, None, 0
        with open(os.path.join(self.alice.cwd, "alice-10.txt"), "rb") as f:
            for line in f:
                v = int(line)
                total += v
                n += 1
                low = v if low is None or v < low else low
                high = v if high is None or v > high else high
        self.assertEqual(n, count)
        stored = self.server.path("uploads", "alice", "alice-10.txt")
        # Diagnostic for a failure seen once under load (SCS said the file did
        # not exist right after the upload was acknowledged): is it on disk?
        self.assertTrue(os.path.exists(stored), f"stored copy missing: {os.listdir(os.path.dirname(stored))}")
        self.alice.command("SCS 10 SUM", rf"^file 10: SUM = {total}$")
        self.alice.command("SCS 10 MIN", rf"^file 10: MIN = {low}$")
        self.alice.command("SCS 10 MAX", rf"^file 10: MAX = {high}$")


class EdgeDataCrash(unittest.TestCase):
    def test_kill9_during_upload_keeps_the_old_file_and_log(self):
        with Server() as server:
            alice = server.client("alice", env={**os.environ, "EDGEHUB_SEED": "1"})
            write_values(os.path.join(alice.cwd, "alice-2.txt"), [1, 2, 3])
            alice.command("UED 2", r"uploaded: 3 values")
            log_before = open(server.path("upload-log.txt")).read()
            alice.command("EDG 2 20000000", r"Data generation done", timeout=120)
            alice.send("UED 2")
            device_dir = server.path("uploads", "alice")
            wait_until(lambda: any(n.startswith(".upload-") and os.path.getsize(os.path.join(device_dir, n)) > 1 << 20
                                   for n in os.listdir(device_dir)), what="upload in progress")
            server.kill9()
            alice.wait()
            server.start()
            self.assertEqual(open(server.path("upload-log.txt")).read(), log_before)
            self.assertEqual(read_values(server.path("uploads", "alice", "alice-2.txt")), [1, 2, 3])
            self.assertFalse([n for n in os.listdir(device_dir) if n.startswith(".upload-")], "temporary cleaned")
            again = server.client("alice")
            again.command("SCS 2 SUM", r"^file 2: SUM = 6$")


if __name__ == "__main__":
    unittest.main()
