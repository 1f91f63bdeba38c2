// When the sweeper gives freed heap back (common/heap_trim.hpp): after
// enough churn, once it has stopped, and not again too soon.
#include "common/heap_trim.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace edgehub {
namespace {

using namespace std::chrono_literals;
using Clock = HeapTrimPolicy::Clock;

TEST(HeapTrimPolicy, TrimsOnceTheChurnStops) {
  HeapTrimPolicy policy(100, 1s, 10s);
  const Clock::time_point t0{};
  EXPECT_FALSE(policy.should_trim(0, t0 + 5s));        // nothing happened
  EXPECT_FALSE(policy.should_trim(150, t0 + 6s));      // a burst, still moving
  EXPECT_FALSE(policy.should_trim(300, t0 + 7s));      // still moving
  EXPECT_FALSE(policy.should_trim(300, t0 + 7500ms));  // quiet for less than a second
  EXPECT_TRUE(policy.should_trim(300, t0 + 8s));       // quiet for a second
  EXPECT_FALSE(policy.should_trim(300, t0 + 30s));     // nothing new since
}

TEST(HeapTrimPolicy, NeedsEnoughChurnAndAGapBetweenTrims) {
  HeapTrimPolicy policy(100, 1s, 10s);
  const Clock::time_point t0{};
  EXPECT_FALSE(policy.should_trim(50, t0));
  EXPECT_FALSE(policy.should_trim(50, t0 + 5s));  // quiet, but too little churn
  EXPECT_FALSE(policy.should_trim(200, t0 + 6s));
  EXPECT_TRUE(policy.should_trim(200, t0 + 7s));
  EXPECT_FALSE(policy.should_trim(400, t0 + 8s));
  EXPECT_FALSE(policy.should_trim(400, t0 + 9s));  // quiet, but 2 s after the last trim
  EXPECT_TRUE(policy.should_trim(400, t0 + 17s));  // 10 s after it
}

// The trim gives back free pages between live blocks, which free() alone
// keeps: 4 MiB freed in runs of 63 KiB with a live block after each run.
TEST(HeapTrim, GivesBackFreePagesBetweenLiveBlocks) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizers' allocators do not trim";
#endif
  constexpr std::size_t kBlock = 1024;
  constexpr std::size_t kBlocks = 4096;
  std::vector<char*> blocks;
  for (std::size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(static_cast<char*>(std::malloc(kBlock)));
    std::memset(blocks.back(), 1, kBlock);  // resident
  }
  for (std::size_t i = 0; i < kBlocks; ++i)
    if (i % 64 != 63) std::free(std::exchange(blocks[i], nullptr));
  EXPECT_GE(trim_heap(), 1 << 20);
  for (char* b : blocks) std::free(b);
}

}  // namespace
}  // namespace edgehub
