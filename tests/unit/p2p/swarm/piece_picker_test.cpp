// PiecePicker: rarest first, random tie-breaks, contiguous runs, resume and
// missing chunks (docs/SWARM.md#3-piece-selection).
#include "p2p/swarm/piece_picker.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace edgehub::p2p::swarm {
namespace {

std::vector<bool> chunks_upto(std::uint32_t count, std::uint32_t held) {
  std::vector<bool> have(count, false);
  for (std::uint32_t i = 0; i < held; ++i) have[i] = true;
  return have;
}

TEST(PiecePicker, PicksTheRarestChunksFirst) {
  PiecePicker picker(8, {}, 1);
  picker.set_have_all(0);                 // chunks 0-7
  picker.set_have(1, chunks_upto(8, 6));  // chunks 0-5
  picker.set_have(2, chunks_upto(8, 4));  // chunks 0-3
  // Availability: 0-3 → 3, 4-5 → 2, 6-7 → 1.
  std::vector<ChunkRun> runs;
  while (auto run = picker.pick(0, 8)) {
    runs.push_back(*run);
    picker.add_requested(*run);
  }
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0], (ChunkRun{6, 2}));
  EXPECT_EQ(runs[1], (ChunkRun{4, 2}));
  EXPECT_EQ(runs[2], (ChunkRun{0, 4}));
}

TEST(PiecePicker, RarityFollowsPeersComingAndGoing) {
  PiecePicker picker(4, {}, 1);
  picker.set_have_all(0);
  picker.set_have(1, {true, true, false, false});
  EXPECT_EQ(picker.availability(0), 2u);
  EXPECT_EQ(picker.availability(3), 1u);
  picker.set_have(1, {false, false, true, true});  // replaced, not added
  EXPECT_EQ(picker.availability(0), 1u);
  EXPECT_EQ(picker.availability(3), 2u);
  EXPECT_EQ(picker.pick(0, 4), (ChunkRun{0, 2}));
  picker.remove_peer(1);
  EXPECT_EQ(picker.availability(3), 1u);
  EXPECT_FALSE(picker.has(1, 3));
  EXPECT_EQ(picker.pick(1, 4), std::nullopt);
}

// Equally rare chunks are chosen uniformly: 16 chunks, one pick per seed,
// 16000 seeds → each chunk about 1000 times.
TEST(PiecePicker, TieBreaksAreUniformlyRandom) {
  std::map<std::uint32_t, int> first_pick;
  for (std::uint64_t seed = 0; seed < 16000; ++seed) {
    PiecePicker picker(16, {}, seed);
    picker.set_have_all(0);
    auto run = picker.pick(0, 1);
    ASSERT_TRUE(run);
    ASSERT_EQ(run->count, 1u);
    ++first_pick[run->first];
  }
  ASSERT_EQ(first_pick.size(), 16u);
  for (const auto& [chunk, n] : first_pick) {
    EXPECT_GT(n, 850) << "chunk " << chunk;
    EXPECT_LT(n, 1150) << "chunk " << chunk;
  }
}

TEST(PiecePicker, TieBreaksOnlyAmongTheRarest) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    PiecePicker picker(16, {}, seed);
    picker.set_have_all(0);
    picker.set_have(1, chunks_upto(16, 12));  // 12-15 are the rarest
    auto run = picker.pick(0, 1);
    ASSERT_TRUE(run);
    EXPECT_GE(run->first, 12u);
  }
}

// Two downloaders of one file (different seeds) start at different places,
// so each soon holds chunks the other lacks.
TEST(PiecePicker, DifferentSeedsStartApart) {
  std::set<std::uint32_t> starts;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    PiecePicker picker(1024, {}, seed);
    picker.set_have_all(0);
    starts.insert(picker.pick(0, 8)->first);
  }
  EXPECT_GT(starts.size(), 15u);
}

TEST(PiecePicker, RunsAreContiguousAndStayWithinOneRarity) {
  PiecePicker picker(12, {}, 7);
  picker.set_have_all(0);
  picker.set_have(1, chunks_upto(12, 6));  // 0-5 common, 6-11 rare
  picker.mark_done(8);
  for (int i = 0; i < 10; ++i) {
    auto run = picker.pick(0, 12);
    if (!run) break;
    for (std::uint32_t c = run->first; c < run->end(); ++c) {
      EXPECT_FALSE(picker.done(c));
      EXPECT_EQ(picker.requesters(c), 0u);
      EXPECT_EQ(picker.availability(c), picker.availability(run->first));
    }
    picker.add_requested(*run);
  }
  for (std::uint32_t c = 0; c < 12; ++c) EXPECT_TRUE(c == 8 || picker.requesters(c) == 1) << c;
}

// A long run is cut into requests without leaving slivers: 12 equal chunks
// taken 4 at a time are always exactly three requests, whatever the seed.
TEST(PiecePicker, CutsLongRunsWithoutSlivers) {
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    PiecePicker picker(12, {}, seed);
    picker.set_have_all(0);
    int requests = 0;
    while (auto run = picker.pick(0, 4)) {
      EXPECT_EQ(run->count, 4u);
      picker.add_requested(*run);
      ++requests;
    }
    EXPECT_EQ(requests, 3);
  }
}

TEST(PiecePicker, NeverPicksVerifiedChunks) {
  std::vector<bool> verified(10, false);
  verified[0] = verified[3] = verified[9] = true;
  PiecePicker picker(10, verified, 3);
  EXPECT_EQ(picker.done_count(), 3u);
  picker.set_have_all(0);
  std::set<std::uint32_t> picked;
  while (auto run = picker.pick(0, 10)) {
    for (std::uint32_t c = run->first; c < run->end(); ++c) picked.insert(c);
    picker.add_requested(*run);
  }
  EXPECT_EQ(picked, (std::set<std::uint32_t>{1, 2, 4, 5, 6, 7, 8}));
  EXPECT_FALSE(picker.mark_done(3));
  EXPECT_TRUE(picker.mark_done(4));
  EXPECT_EQ(picker.done_count(), 4u);
}

TEST(PiecePicker, ReportsChunksNoLivePeerHolds) {
  PiecePicker picker(6, {}, 1);
  picker.set_have(0, chunks_upto(6, 4));
  picker.set_have(1, {false, false, false, false, true, false});
  EXPECT_EQ(picker.missing_without_holder(), (std::vector<std::uint32_t>{5}));
  picker.remove_peer(1);
  EXPECT_EQ(picker.missing_without_holder(), (std::vector<std::uint32_t>{4, 5}));
  picker.mark_done(5);
  EXPECT_EQ(picker.missing_without_holder(), (std::vector<std::uint32_t>{4}));
  EXPECT_EQ(picker.unrequested_held(), 4u);
  picker.add_requested(ChunkRun{0, 2});
  EXPECT_EQ(picker.unrequested_held(), 2u);
}

}  // namespace
}  // namespace edgehub::p2p::swarm
