// DownloadScheduler: rate-sized pipelines, no single-peer monopoly, resume,
// drop and leave, failures and stalls (docs/SWARM.md#3-piece-selection).
// The endgame has its own file.
#include "p2p/swarm/download_scheduler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "unit/p2p/swarm/scheduler_driver.hpp"

namespace edgehub::p2p::swarm {
namespace {

using test::chunks_of;
using test::deliver;
using test::kChunk;

TEST(DownloadScheduler, NewPeersStartWithSmallProbes) {
  DownloadScheduler s(256 * kChunk, kChunk, HaveSet(256), test::config());
  s.update_peer_all("alice", 0);
  auto reqs = s.next_requests(0);
  ASSERT_EQ(reqs.size(), 2u);  // two requests: one queued behind the other
  for (const auto& r : reqs) {
    EXPECT_EQ(r.peer, "alice");
    EXPECT_EQ(r.count, 2u);  // probe_bytes 512 KiB = 2 chunks
  }
  EXPECT_TRUE(s.next_requests(0).empty());  // the pipe is full
}

// After a peer is measured, its pipe holds about rate × pipe_target, over
// two requests: a 4× faster peer gets 4× longer requests.
TEST(DownloadScheduler, RequestsAreSizedFromMeasuredRates) {
  DownloadScheduler s(4096 * kChunk, kChunk, HaveSet(4096), test::config());
  s.update_peer_all("fast", 0);
  s.update_peer_all("slow", 0);
  // Six rounds: each peer delivers everything it was asked, one request
  // after the other, fast at 24 MB/s, slow at 6 MB/s.
  Micros now = 0;
  std::map<std::string, std::uint32_t> last_count;
  for (int round = 0; round < 6; ++round) {
    std::map<std::string, Micros> busy_until;
    for (const auto& r : s.next_requests(now)) {
      last_count[r.peer] = r.count;
      Micros& t = busy_until.try_emplace(r.peer, now).first->second;
      t = deliver(s, r, t, r.peer == "fast" ? 24e6 : 6e6);
    }
    for (const auto& [peer, t] : busy_until) now = std::max(now, t);
  }
  ASSERT_TRUE(s.peer_rate("fast") && s.peer_rate("slow"));
  EXPECT_NEAR(*s.peer_rate("fast"), 24e6, 1e6);
  EXPECT_NEAR(*s.peer_rate("slow"), 6e6, 0.25e6);
  // 1 s of 24 MB/s over two requests = 12 MB ≈ 46 chunks; 6 MB/s → 11.
  EXPECT_NEAR(last_count["fast"], 46, 2);
  EXPECT_NEAR(last_count["slow"], 11, 1);
}

TEST(DownloadScheduler, PipeIsCappedAt32MiB) {  // 40 MB/s and more
  DownloadScheduler s(4096 * kChunk, kChunk, HaveSet(4096), test::config());
  s.update_peer_all("lan", 0);
  Micros now = 0;
  std::uint32_t last = 0;
  for (int round = 0; round < 6; ++round) {
    for (const auto& r : s.next_requests(now)) {
      last = r.count;
      now = deliver(s, r, now, 1e9);
    }
  }
  EXPECT_EQ(last, 64u);  // 32 MiB / 2 requests / 256 KiB
}

TEST(DownloadScheduler, EveryHolderGetsWorkNotOnlyTheFastest) {
  DownloadScheduler s(64 * kChunk, kChunk, HaveSet(64), test::config());
  for (const char* p : {"a", "b", "c", "d"}) s.update_peer_all(p, 0);
  std::set<std::string> asked;
  for (const auto& r : s.next_requests(0)) asked.insert(r.peer);
  EXPECT_EQ(asked.size(), 4u);
}

// A tiny file: two chunks, two peers; the second does not sit idle while
// the first fetches everything.
TEST(DownloadScheduler, NoSinglePeerMonopolyOnASmallFile) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    DownloadScheduler s(2 * kChunk, kChunk, HaveSet(2), test::config(seed));
    s.update_peer_all("a", 0);
    s.update_peer_all("b", 0);
    std::set<std::string> asked;
    for (const auto& r : s.next_requests(0)) {
      asked.insert(r.peer);
      EXPECT_EQ(r.count, 1u);
    }
    EXPECT_EQ(asked.size(), 2u);
  }
}

// A peer holding only a few chunks still gets them: they are rarer for
// nobody, but the full seeder takes the rarest (its exclusive) ones first.
TEST(DownloadScheduler, PartialHoldersServeWhatTheyHave) {
  DownloadScheduler s(16 * kChunk, kChunk, HaveSet(16), test::config());
  s.update_peer_all("full", 0);
  s.update_peer("part", test::have(16, {0, 1, 2, 3}), 0);
  for (const auto& r : s.next_requests(0)) {
    if (r.peer == "part") {
      EXPECT_LT(r.first_chunk + r.count, 5u);
    } else {
      EXPECT_GE(r.first_chunk, 4u);  // chunks 4-15 are held by one peer only
    }
  }
}

// Without a fixed seed, two downloaders of one file from one seeder start
// at different chunks (and so can feed each other).
TEST(DownloadScheduler, UnseededSchedulersStartApart) {
  std::set<std::uint32_t> starts;
  for (int i = 0; i < 10; ++i) {
    DownloadScheduler s(1024 * kChunk, kChunk, HaveSet(1024));
    s.update_peer_all("seeder", 0);
    starts.insert(s.next_requests(0).at(0).first_chunk);
  }
  EXPECT_GE(starts.size(), 8u);
}

TEST(DownloadScheduler, ResumeNeverRequestsVerifiedChunks) {
  HaveSet verified = test::have(64, {});
  for (std::uint32_t i = 0; i < 64; i += 3) verified.set(i);
  DownloadScheduler s(64 * kChunk, kChunk, verified, test::config());
  EXPECT_EQ(s.chunks_done(), 22u);
  EXPECT_EQ(s.bytes_done(), 22 * kChunk);
  EXPECT_EQ(s.resumed_bytes(), 22 * kChunk);
  EXPECT_EQ(s.bytes_fetched(), 0u);
  s.update_peer_all("a", 0);
  s.update_peer_all("b", 0);
  Micros now = 0;
  std::set<std::uint32_t> fetched;
  for (int i = 0; i < 100 && !s.complete(); ++i) {
    for (const auto& r : s.next_requests(now)) {
      for (std::uint32_t c : chunks_of(r)) {
        EXPECT_FALSE(verified.test(c)) << c;
        fetched.insert(c);
      }
      now = deliver(s, r, now, 10e6);
    }
  }
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(fetched.size(), 42u);
  EXPECT_EQ(s.bytes_fetched(), 42 * kChunk);
  EXPECT_EQ(s.bytes_done(), 64 * kChunk);
}

TEST(DownloadScheduler, AShortLastChunkCountsItsRealLength) {
  DownloadScheduler s(3 * kChunk + 100, kChunk, HaveSet(4), test::config());
  s.update_peer_all("a", 0);
  Micros now = 0;
  while (!s.complete()) {
    for (const auto& r : s.next_requests(now)) now = deliver(s, r, now, 10e6);
  }
  EXPECT_EQ(s.bytes_done(), 3 * kChunk + 100);
  ASSERT_EQ(s.contributions().size(), 1u);
  EXPECT_EQ(s.contributions()[0].bytes, 3 * kChunk + 100);
}

TEST(DownloadScheduler, DroppedPeerIsReplacedAndNeverAskedAgain) {
  DownloadScheduler s(16 * kChunk, kChunk, HaveSet(16), test::config());
  s.update_peer_all("liar", 0);
  s.update_peer_all("honest", 0);
  auto first = s.next_requests(0);
  std::vector<RequestId> liar_ids;
  std::set<std::uint32_t> liar_chunks;
  for (const auto& r : first) {
    if (r.peer != "liar") continue;
    liar_ids.push_back(r.id);
    for (std::uint32_t c : chunks_of(r)) liar_chunks.insert(c);
  }
  ASSERT_FALSE(liar_ids.empty());
  auto cancel = s.drop_peer("liar");
  std::sort(cancel.begin(), cancel.end());
  EXPECT_EQ(cancel, liar_ids);
  EXPECT_TRUE(s.dropped("liar"));
  s.update_peer_all("liar", 0);  // listed again by the tracker: still ignored
  EXPECT_EQ(s.live_peers(), 1u);
  Micros now = 0;
  for (const auto& r : first) {
    if (r.peer == "honest") now = deliver(s, r, now, 10e6);
  }
  std::set<std::uint32_t> refetched;
  for (int round = 0; round < 20 && !s.complete(); ++round) {
    for (const auto& r : s.next_requests(now)) {
      EXPECT_EQ(r.peer, "honest");
      for (std::uint32_t c : chunks_of(r)) refetched.insert(c);
      now = deliver(s, r, now, 10e6);
    }
  }
  EXPECT_TRUE(s.complete());
  for (std::uint32_t c : liar_chunks) EXPECT_TRUE(refetched.count(c)) << c;
}

TEST(DownloadScheduler, PeerLeavingRequeuesItsChunksAndMayComeBack) {
  DownloadScheduler s(16 * kChunk, kChunk, HaveSet(16), test::config());
  s.update_peer_all("a", 0);
  s.update_peer("b", test::have(16, {14, 15}), 0);
  auto reqs = s.next_requests(0);
  std::vector<RequestId> b_ids;
  for (const auto& r : reqs) {
    if (r.peer == "b") b_ids.push_back(r.id);
  }
  ASSERT_EQ(b_ids.size(), 1u);  // b holds two chunks: one request
  EXPECT_EQ(s.remove_peer("b"), b_ids);
  EXPECT_EQ(s.outstanding_requests(), reqs.size() - 1);
  EXPECT_TRUE(s.remove_peer("b").empty());
  // a now gets 14-15 too, once it has room.
  Micros now = 0;
  std::set<std::uint32_t> from_a;
  for (const auto& r : reqs) {
    if (r.peer == "a") now = deliver(s, r, now, 10e6);
  }
  for (int i = 0; i < 20 && !s.complete(); ++i) {
    for (const auto& r : s.next_requests(now)) {
      for (std::uint32_t c : chunks_of(r)) from_a.insert(c);
      now = deliver(s, r, now, 10e6);
    }
  }
  EXPECT_TRUE(from_a.count(14) && from_a.count(15));
  s.update_peer("b", test::have(16, {14, 15}), now);  // back again: allowed
  EXPECT_EQ(s.live_peers(), 2u);
}

TEST(DownloadScheduler, ReportsChunksNoLivePeerHolds) {
  DownloadScheduler s(8 * kChunk, kChunk, HaveSet(8), test::config());
  s.update_peer("a", test::have(8, {0, 1, 2, 3, 4, 5}), 0);
  s.update_peer("b", test::have(8, {5, 6}), 0);
  EXPECT_EQ(s.missing_without_holder(), (std::vector<std::uint32_t>{7}));
  s.remove_peer("b");
  EXPECT_EQ(s.missing_without_holder(), (std::vector<std::uint32_t>{6, 7}));
  Micros now = 0;
  for (int i = 0; i < 20; ++i) {
    for (const auto& r : s.next_requests(now)) now = deliver(s, r, now, 10e6);
  }
  EXPECT_EQ(s.chunks_done(), 6u);
  EXPECT_EQ(s.outstanding_requests(), 0u);
  EXPECT_EQ(s.missing_without_holder(), (std::vector<std::uint32_t>{6, 7}));
}

TEST(DownloadScheduler, FailedRequestIsRequeuedAfterABackoff) {
  DownloadScheduler s(4 * kChunk, kChunk, HaveSet(4), test::config());
  s.update_peer_all("a", 0);
  auto reqs = s.next_requests(0);
  ASSERT_EQ(reqs.size(), 2u);
  s.on_request_failed(reqs[0].id, 10 * kMillis);
  s.on_request_failed(reqs[1].id, 10 * kMillis);
  EXPECT_EQ(s.outstanding_requests(), 0u);
  EXPECT_TRUE(s.next_requests(20 * kMillis).empty());  // backing off
  auto again = s.next_requests(400 * kMillis);
  ASSERT_FALSE(again.empty());
  std::set<std::uint32_t> chunks;
  for (const auto& r : again) {
    for (std::uint32_t c : chunks_of(r)) chunks.insert(c);
  }
  EXPECT_EQ(chunks.size(), 4u);
}

}  // namespace
}  // namespace edgehub::p2p::swarm
