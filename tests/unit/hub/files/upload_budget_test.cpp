// The disk space uploads in progress may hold (docs/FILES.md#limits).
#include "hub/files/upload_budget.hpp"

#include <gtest/gtest.h>

#include "hub/files/repository_refusal.hpp"

namespace edgehub::hub {
namespace {

UploadBudget budget() { return UploadBudget({.per_user = 1000, .total = 1500, .keep_free = 100}); }

TEST(UploadBudget, OneUsersUploadsAddUpToThePerUserBudget) {
  auto b = budget();
  b.reserve("alice", "a", 600);
  try {
    b.reserve("alice", "b", 500);
    FAIL() << "over alice's budget";
  } catch (const FileRefusal& refusal) {
    EXPECT_EQ(refusal.code(), protocol::StatusCode::TooLarge);
    EXPECT_NE(std::string(refusal.what()).find("--upload-budget-per-user); yours hold 600 bytes already"),
              std::string::npos)
        << refusal.what();
  }
  EXPECT_EQ(b.reserved_by("alice"), 600u);
  b.reserve("alice", "b", 400);  // exactly the budget
  EXPECT_EQ(b.reserved_by("alice"), 1000u);
}

// SIGHUP: a lowered budget refuses the next reservation; what is held stays.
TEST(UploadBudget, ReconfiguredLimitsHoldForTheNextReservation) {
  auto b = budget();
  b.reserve("alice", "a", 800);
  b.reconfigure({.per_user = 500, .total = 1500, .keep_free = 300});
  EXPECT_EQ(b.reserved_by("alice"), 800u);
  EXPECT_THROW(b.reserve("bob", "b", 501), FileRefusal);
  b.reserve("bob", "b", 500);
  EXPECT_THROW(b.check_disk("c", 1, 300), FileRefusal) << "the new keep-free";
  EXPECT_EQ(b.limits().per_user, 500u);
}

TEST(UploadBudget, AllUsersShareTheTotalAndReleaseGivesItBack) {
  auto b = budget();
  b.reserve("alice", "a", 1000);
  EXPECT_THROW(b.reserve("bob", "b", 501), FileRefusal);
  EXPECT_EQ(b.reserved_by("bob"), 0u) << "a refusal holds nothing";
  b.reserve("bob", "b", 500);
  EXPECT_EQ(b.reserved(), 1500u);
  b.release("alice", 1000);
  EXPECT_EQ(b.reserved(), 500u);
  EXPECT_EQ(b.reserved_by("alice"), 0u);
  b.release("alice", 1000);  // twice, or unknown: nothing more to give back
  EXPECT_EQ(b.reserved(), 500u);
}

TEST(UploadBudget, KeepFreeIsNeverReserved) {
  auto b = budget();
  EXPECT_NO_THROW(b.check_disk("a", 900, 1000));
  EXPECT_THROW(b.check_disk("a", 901, 1000), FileRefusal);
  try {
    b.check_disk("a", 901, 1000);
  } catch (const FileRefusal& refusal) {
    EXPECT_EQ(refusal.code(), protocol::StatusCode::DiskFull) << "507, as for HTTP (docs/FILES.md#limits)";
  }
  EXPECT_THROW(b.check_disk("a", 1, 50), FileRefusal) << "less free than --keep-free";
  EXPECT_NO_THROW(b.check_disk("a", 0, 50));
}

}  // namespace
}  // namespace edgehub::hub
