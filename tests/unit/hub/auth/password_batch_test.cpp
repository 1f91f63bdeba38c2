#include "hub/auth/password_batch.hpp"

#include <gtest/gtest.h>

#include "unit/hub/auth/cheap_argon2.hpp"

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "hub/auth/password_hasher.hpp"

namespace edgehub::hub {
namespace {

using test::kCheap;

std::vector<std::string> passwords(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("pw-" + std::to_string(i));
  return out;
}

TEST(PasswordBatch, EveryHashMatchesItsPasswordInOrder) {
  const auto pws = passwords(40);
  const auto hashes = hash_passwords(pws, kCheap);
  ASSERT_TRUE(hashes);
  ASSERT_EQ(hashes->size(), pws.size());
  for (std::size_t i = 0; i < pws.size(); ++i) {
    EXPECT_TRUE(verify_password((*hashes)[i], pws[i])) << i;
    EXPECT_FALSE(verify_password((*hashes)[i], pws[(i + 1) % pws.size()])) << i;
  }
}

TEST(PasswordBatch, ProgressStartsAtZeroAndEndsAtTheTotal) {
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  BatchControl control;
  control.progress = [&](std::size_t done, std::size_t total) { seen.emplace_back(done, total); };
  ASSERT_TRUE(hash_passwords(passwords(5), kCheap, control));
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.front(), std::make_pair(std::size_t{0}, std::size_t{5}));
  EXPECT_EQ(seen.back(), std::make_pair(std::size_t{5}, std::size_t{5}));
}

TEST(PasswordBatch, AStopEndsTheBatchWithoutResult) {
  std::atomic<int> polls{0};
  BatchControl control;
  control.stop = [&] { return ++polls >= 1; };  // asked to stop at the first poll
  const auto hashes = hash_passwords(passwords(100000), Argon2Cost{1, 64 * 1024}, control);
  EXPECT_FALSE(hashes);
  EXPECT_GE(polls.load(), 1);
}

TEST(PasswordBatch, NoPasswordsIsAnEmptyResult) {
  const auto hashes = hash_passwords({}, kCheap);
  ASSERT_TRUE(hashes);
  EXPECT_TRUE(hashes->empty());
}

TEST(PasswordBatch, ThreadsAreBoundedByPasswordsAndMemory) {
  EXPECT_EQ(hashing_threads(1, kCheap), 1u);
  EXPECT_EQ(hashing_threads(0, kCheap), 1u);
  EXPECT_EQ(hashing_threads(1000, Argon2Cost{2, std::size_t{1} << 30}), 1u) << "1 GiB each: one at a time";
  EXPECT_GE(hashing_threads(1000, kCheap), 1u);
}

}  // namespace
}  // namespace edgehub::hub
