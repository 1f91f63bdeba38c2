#include "common/thread_check.hpp"

#include <gtest/gtest.h>

namespace edgehub {
namespace {

TEST(ThreadCheck, PassesOnTheOwnThread) { EDGEHUB_ASSERT_OWN_THREAD(true, "Example::entry"); }

TEST(ThreadCheck, AbortsNamingTheFunction) {
  if (!kThreadChecks) GTEST_SKIP() << "thread checks are off in this build (release)";
  EXPECT_DEATH(EDGEHUB_ASSERT_OWN_THREAD(false, "Example::entry"), "thread check failed: Example::entry ran on thread");
}

TEST(ThreadCheck, OffInReleaseBuildsWithoutEvaluating) {
  if (kThreadChecks) GTEST_SKIP() << "thread checks are on in this build";
  bool evaluated = false;
  EDGEHUB_ASSERT_OWN_THREAD((evaluated = true, false), "Example::entry");
  EXPECT_FALSE(evaluated);
}

}  // namespace
}  // namespace edgehub
