"""The swarm tracker across nodes (docs/CLUSTER.md#the-swarm-tracker-across-nodes):
a device's share, swarmget, have and unshare on one edgehubd node reach the
trackers of the other nodes of the same PostgreSQL, so that a downloader on
any node finds every holder and fetches from holders on other nodes (its
tickets reach them as relay events). A node that starts later reads the
announcements from the database; a logout or a node's death withdraws them."""
import os
import re
import shutil

from cluster_fixture import ClusterFixture, setUpModule, tearDownModule  # noqa: F401
from harness import reply_to, wait_until
from test_files import read_blocks
from test_swarm import MB, WAIT, make_file, manifest_of, sha256_file, SUMMARY, summary_shares


def holders(observer, name):
    """{holder: chunks} of name's versions as observer's node lists them ({} if none)."""
    reply = reply_to(observer, f"searchfile {name}")
    out = {}
    for line in reply[1:]:
        for item in line.split(" ")[4].split(","):
            holder, chunks = item.rsplit(":", 1)
            out[holder] = int(chunks)
    return out


class ClusterSwarm(ClusterFixture):
    def nodes(self, n):
        started = [self.node() for _ in range(n)]
        for node in started:
            self.addCleanup(node.__exit__, None, None, None)  # after the clients are gone
        return started

    def share(self, client, name):
        client.send(f"share {name}")
        m = client.expect(rf"^shared {re.escape(name)} as [0-9a-f]{{12}} \((\d+) chunks|ERR", WAIT)
        self.assertIsNotNone(m.group(1), m.string)
        return int(m.group(1))

    def seeders(self, nodes, names, size):
        """One client per (node, name), each sharing the same f.bin."""
        clients = [self.client(node, name) for node, name in zip(nodes, names)]
        src = os.path.join(clients[0].cwd, "f.bin")
        make_file(src, size)
        for c in clients[1:]:
            shutil.copyfile(src, os.path.join(c.cwd, "f.bin"))
        count = [self.share(c, "f.bin") for c in clients][0]
        return clients, src, count

    def test_a_download_on_one_node_fetches_from_seeders_on_two_others(self):
        a, b, c = self.nodes(3)
        _, src, count = self.seeders([a, b], ["alice", "bob"], 6 * MB + 5)
        watcher = self.raw_login(c, "dave")
        wait_until(lambda: holders(watcher, "f.bin") == {"alice": count, "bob": count},
                   what="both seeders listed on the third node")
        carol = self.client(c, "carol")
        carol.send("p2pDownload f.bin --json")
        summary = carol.expect(SUMMARY + r"|^p2pDownload \S+ (stopped|failed)|not available$", WAIT)
        self.assertTrue(summary.string.startswith("Downloaded"), summary.string)
        self.assertLessEqual(set(summary_shares(summary)), {"alice", "bob"}, summary.string)
        self.assertEqual(sha256_file(os.path.join(carol.cwd, "f.bin")), sha256_file(src))
        # carol's swarmget and haves reached the seeders' nodes too.
        on_a = self.raw_login(a, "erin")
        wait_until(lambda: holders(on_a, "f.bin").get("carol") == count, what="carol's chunks on node a")
        self.assertEqual(carol.finish(WAIT), 0)

    def test_a_node_started_later_reads_the_announcements(self):
        (a,) = self.nodes(1)
        _, src, count = self.seeders([a], ["alice"], 1 * MB)
        root = manifest_of(src)[0]
        self.assertEqual(self.sql("SELECT count(*) FROM cluster_swarm_shares"), "1")
        (b,) = self.nodes(1)  # its snapshot is read before it serves: no waiting
        bob = self.raw_login(b, "bob")
        listed = reply_to(bob, "searchfile f.bin")
        self.assertEqual(listed[1], f"{root} {1 * MB} {16 * 1024} {count} alice:{count}")

    def test_a_node_started_later_reads_a_downloaders_progress(self):
        """carol downloads on node a (swarmget, then a have of 10 chunks):
        her bitmap is recorded with her announcement, so node b, started
        afterwards, lists her with those 10 chunks. Before, b listed her
        with none until her next have (and swarmpeers left her out)."""
        (a,) = self.nodes(1)
        _, src, count = self.seeders([a], ["alice"], 1 * MB)
        root = manifest_of(src)[0]
        carol = self.raw_login(a, "carol")
        self.assertEqual(reply_to(carol, "swarmget f.bin"), [f"+OK {root} {1 * MB} {16 * 1024} {count}"])
        read_blocks(carol)
        self.assertEqual(reply_to(carol, f"have {root} 0-7,20-21"), ["+OK 10"])
        bits = bytearray((count + 7) // 8)  # chunk i is bit 7 - i % 8 of byte i / 8 (docs/SWARM.md)
        for i in [*range(8), 20, 21]:
            bits[i // 8] |= 0x80 >> (i % 8)
        bitmap = bits.hex()
        wait_until(lambda: self.sql("SELECT encode(held, 'hex') FROM cluster_swarm_shares "
                                    "WHERE account = 'carol'") == bitmap, what="carol's progress in the database")
        (b,) = self.nodes(1)  # its snapshot is read before it serves
        bob = self.raw_login(b, "bob")
        self.assertEqual(holders(bob, "f.bin"), {"alice": count, "carol": 10})

    def test_unshare_logout_and_a_dead_node_withdraw_the_announcements(self):
        a, b, c = self.nodes(3)
        clients, _, count = self.seeders([a, c], ["alice", "bob"], 1 * MB)
        alice, bob = clients
        watcher = self.raw_login(b, "dave")
        wait_until(lambda: holders(watcher, "f.bin") == {"alice": count, "bob": count}, what="both listed")
        alice.send("unshare f.bin")
        wait_until(lambda: holders(watcher, "f.bin") == {"bob": count}, what="alice's unshare on node b")
        self.share(alice, "f.bin")
        wait_until(lambda: "alice" in holders(watcher, "f.bin"), what="alice's share again")
        self.assertEqual(alice.finish(WAIT), 0)  # quits: its login ends
        wait_until(lambda: holders(watcher, "f.bin") == {"bob": count}, what="alice's logout on node b")
        c.kill9()  # bob's node dies: its row, bob's login and his announcement go after the lease
        wait_until(lambda: reply_to(watcher, "searchfile f.bin") == ["-ERR 404 f.bin is not available"],
                   timeout=30, what="bob's node's death on node b")
        self.assertEqual(self.sql("SELECT count(*) FROM cluster_swarm_shares"), "0")

    def test_a_holder_that_blocks_the_asker_is_hidden_on_the_other_node(self):
        a, b = self.nodes(2)
        (alice,), _, _ = self.seeders([a], ["alice"], 1 * MB)
        bob = self.raw_login(b, "bob")
        wait_until(lambda: "alice" in holders(bob, "f.bin"), what="alice's share on node b")
        alice.send("block bob")
        wait_until(lambda: reply_to(bob, "searchfile f.bin") == ["-ERR 404 f.bin is not available"],
                   what="alice's block of bob on node b")
