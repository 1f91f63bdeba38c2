// DownloadScheduler's endgame and stalls: a slow or dead peer never holds
// the last chunks; duplicates are cancelled (docs/SWARM.md#3-piece-selection).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "p2p/swarm/download_scheduler.hpp"
#include "unit/p2p/swarm/scheduler_driver.hpp"

namespace edgehub::p2p::swarm {
namespace {

using test::chunk_time;
using test::kChunk;

bool has(const std::vector<RequestId>& ids, RequestId id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

// "slow" (2 MB/s) holds every chunk in flight when "fast" joins: fast
// duplicates the chunks expected last, then the earlier ones, and each of
// slow's requests is cancelled once all it still owes has arrived.
TEST(Endgame, FastPeerDuplicatesTheSlowPeersLastChunksAndCancelsThem) {
  DownloadScheduler s(4 * kChunk, kChunk, HaveSet(4), test::config());
  s.update_peer_all("slow", 0);
  auto slow = s.next_requests(0);
  ASSERT_EQ(slow.size(), 2u);
  std::sort(slow.begin(), slow.end(), [](auto& a, auto& b) { return a.id < b.id; });
  const PeerRequest first = slow[0];
  const PeerRequest second = slow[1];
  Micros now = chunk_time(2e6);
  EXPECT_TRUE(s.on_chunk_done("slow", first.first_chunk, kChunk, now).fresh);
  s.update_peer_all("fast", now);

  auto dup = s.next_requests(now);
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0].peer, "fast");
  const std::uint32_t last = second.first_chunk + second.count - 1;
  EXPECT_EQ(dup[0].first_chunk + dup[0].count - 1, last);  // the chunk expected last
  EXPECT_EQ(s.stats().duplicate_requests, 1u);

  // fast delivers at 30 MB/s; everything slow still owes is fetched twice
  // until slow's requests are all cancelled.
  std::vector<RequestId> cancelled;
  for (int round = 0; round < 4 && !s.complete(); ++round) {
    for (const auto& r : round == 0 ? dup : s.next_requests(now)) {
      EXPECT_EQ(r.peer, "fast");
      for (std::uint32_t c : test::chunks_of(r)) {
        now += chunk_time(30e6);
        auto done = s.on_chunk_done("fast", c, kChunk, now);
        EXPECT_TRUE(done.fresh);
        cancelled.insert(cancelled.end(), done.cancel.begin(), done.cancel.end());
      }
    }
  }
  EXPECT_TRUE(s.complete());
  EXPECT_LT(now, 4 * chunk_time(2e6));  // long before slow would have finished
  EXPECT_TRUE(has(cancelled, first.id));
  EXPECT_TRUE(has(cancelled, second.id));
  EXPECT_EQ(s.outstanding_requests(), 0u);
  // A copy that arrives after all is not fresh and counts for nobody.
  auto late = s.on_chunk_done("slow", last, kChunk, now + 1);
  EXPECT_FALSE(late.fresh);
  auto contributions = s.contributions();
  ASSERT_EQ(contributions.size(), 2u);
  EXPECT_EQ(contributions[0].peer, "fast");
  EXPECT_EQ(contributions[0].chunks, 3u);
  EXPECT_EQ(contributions[1].chunks, 1u);
}

// Two equal peers whose chunks arrive on time: duplicating would not make
// anything arrive sooner, so nothing is asked twice.
TEST(Endgame, NoDuplicatesWhenTheyWouldNotArriveSooner) {
  DownloadScheduler s(8 * kChunk, kChunk, HaveSet(8), test::config());
  s.update_peer_all("a", 0);
  s.update_peer_all("b", 0);
  auto reqs = s.next_requests(0);
  ASSERT_EQ(reqs.size(), 4u);
  const Micros t = chunk_time(10e6);
  std::vector<PeerRequest> of_a, of_b;
  for (const auto& r : reqs) (r.peer == "a" ? of_a : of_b).push_back(r);
  ASSERT_EQ(of_a.size(), 2u);
  ASSERT_EQ(of_b.size(), 2u);
  // Both serve their requests in order at 10 MB/s; a's first request ends
  // at 2t, b has delivered one chunk by then.
  s.on_chunk_done("a", of_a[0].first_chunk, kChunk, t);
  s.on_chunk_done("b", of_b[0].first_chunk, kChunk, t);
  s.on_chunk_done("a", of_a[0].first_chunk + 1, kChunk, 2 * t);
  for (const auto& r : s.next_requests(2 * t)) ADD_FAILURE() << "unexpected request to " << r.peer;
  EXPECT_EQ(s.stats().duplicate_requests, 0u);
}

// A peer that stops delivering (killed) is stalled after a few chunk
// times: its chunks go to the others at once, without waiting for the
// transport to give up; if it delivers again, its requests count again.
TEST(Endgame, StalledPeersChunksGoToOthers) {
  DownloadScheduler s(64 * kChunk, kChunk, HaveSet(64), test::config());
  s.update_peer_all("a", 0);
  s.update_peer_all("dead", 0);
  Micros now = 0;
  std::vector<PeerRequest> dead;
  // Both measured at 10 MB/s for a while, then "dead" stops.
  for (int round = 0; round < 3; ++round) {
    for (const auto& r : s.next_requests(now)) {
      if (r.peer == "dead" && round > 0) {
        dead.push_back(r);
        continue;
      }
      now = std::max(now, test::deliver(s, r, now, 10e6));
    }
  }
  ASSERT_FALSE(dead.empty());
  std::set<std::uint32_t> owed;
  for (const auto& r : dead) {
    for (std::uint32_t c : test::chunks_of(r)) owed.insert(c);
  }
  // a keeps delivering; within a second the dead peer's chunks are asked of a.
  std::set<std::uint32_t> taken_over;
  const Micros until = now + kSeconds;
  while (now < until && !s.complete()) {
    now += 100 * kMillis;
    for (const auto& r : s.next_requests(now)) {
      ASSERT_EQ(r.peer, "a");
      for (std::uint32_t c : test::chunks_of(r)) {
        if (owed.count(c)) taken_over.insert(c);
      }
      test::deliver(s, r, now, 1e9);
    }
  }
  EXPECT_EQ(taken_over, owed);
  EXPECT_EQ(s.stats().stalls, 1u);
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.outstanding_requests(), 0u);  // dead's requests were cancelled as useless
}

// Events reported with times slightly out of order (a chunk stamped after
// the next timer tick) never make a peer look stalled.
TEST(Endgame, TimesOutOfOrderDoNotStall) {
  DownloadScheduler s(64 * kChunk, kChunk, HaveSet(64), test::config());
  s.update_peer_all("a", 0);
  auto reqs = s.next_requests(0);
  ASSERT_FALSE(reqs.empty());
  s.on_chunk_done("a", reqs[0].first_chunk, kChunk, 10 * kMillis);
  s.next_requests(9 * kMillis);
  EXPECT_EQ(s.stats().stalls, 0u);
}

// A stalled peer whose requests then fail is not written off: after the
// backoff it gets a probe again (its old rate is not trusted).
TEST(Endgame, StalledPeerIsProbedAgainAfterItsRequestsFail) {
  DownloadScheduler s(256 * kChunk, kChunk, HaveSet(256), test::config());
  s.update_peer_all("a", 0);
  s.update_peer_all("b", 0);
  Micros now = 0;
  for (int round = 0; round < 3; ++round) {
    std::map<std::string, Micros> until;
    for (const auto& r : s.next_requests(now)) {
      Micros& t = until.try_emplace(r.peer, now).first->second;
      t = test::deliver(s, r, t, 10e6);
    }
    for (const auto& [peer, t] : until) now = std::max(now, t);
  }
  std::vector<RequestId> of_b;
  Micros a_until = now;
  for (const auto& r : s.next_requests(now)) {
    if (r.peer == "b") of_b.push_back(r.id);
    if (r.peer == "a") a_until = test::deliver(s, r, a_until, 10e6);
  }
  ASSERT_FALSE(of_b.empty());
  now += 600 * kMillis;  // b delivers nothing, a everything
  for (const auto& r : s.next_requests(now)) {
    EXPECT_NE(r.peer, "b");
    test::deliver(s, r, now, 10e6);
  }
  EXPECT_EQ(s.stats().stalls, 1u);
  EXPECT_FALSE(s.peer_rate("b"));
  now += 5 * kSeconds;
  for (RequestId id : of_b) s.on_request_failed(id, now);
  now += 2 * kSeconds;  // past the backoff
  std::vector<PeerRequest> probes;
  for (const auto& r : s.next_requests(now)) {
    if (r.peer == "b") probes.push_back(r);
  }
  ASSERT_FALSE(probes.empty());
  for (const auto& r : probes) EXPECT_EQ(r.count, 2u);  // 512 KiB
}

}  // namespace
}  // namespace edgehub::p2p::swarm
