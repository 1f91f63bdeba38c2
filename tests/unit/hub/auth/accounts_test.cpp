#include "hub/auth/accounts.hpp"

#include <gtest/gtest.h>

#include "unit/hub/auth/cheap_argon2.hpp"

#include <string>
#include <vector>

namespace edgehub::hub {
namespace {

using test::kCheap;

// The hashes are opaque here: replaced_by compares them as text.
TEST(Accounts, PasswordsChangedSinceNamesChangedAndDeletedAccountsOnly) {
  const Accounts before({{"alice", "hash-a"}, {"bob", "hash-b"}, {"carol", "hash-c"}}, kCheap);
  const auto after = before.replaced_by({{"alice", "hash-a2"}, {"bob", "hash-b", "admin", true}, {"dave", "hash-d"}});
  EXPECT_EQ(after->passwords_changed_since(before), (std::vector<std::string>{"alice", "carol"}))
      << "a new password (alice) and a deleted account (carol); bob's role changed, not his password";
  EXPECT_TRUE(after->passwords_changed_since(*after).empty());
}

}  // namespace
}  // namespace edgehub::hub
