// What every Store does the same, SQLite or PostgreSQL: meta, accounts,
// transactions and savepoints, login history (store.hpp).
#include <gtest/gtest.h>

#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

template <typename Backend>
class StoreContract : public testing::StoreTest<Backend> {};
TYPED_TEST_SUITE(StoreContract, testing::Backends, testing::BackendNames);

LoginRecord login(std::string name, std::int64_t at, int udp = 6000) {
  return LoginRecord{0, std::move(name), "127.0.0.1", udp, at, std::nullopt};
}

TYPED_TEST(StoreContract, Meta) {
  const auto owned = this->open();
  Store& s = *owned;
  EXPECT_FALSE(s.meta("k").has_value());
  s.set_meta("k", "v1");
  s.set_meta("k", "v2");
  EXPECT_EQ(s.meta("k"), "v2");
}

TYPED_TEST(StoreContract, FileAccountsAreReplacedAsAWhole) {
  const auto owned = this->open();
  Store& s = *owned;
  s.replace_accounts({{"bob", "hb"}, {"alice", "ha"}});
  auto accounts = s.load_accounts();
  ASSERT_EQ(accounts.size(), 2u);
  EXPECT_EQ(accounts[0].name, "alice");  // sorted by name
  EXPECT_EQ(accounts[0].password_hash, "ha");
  s.replace_accounts({{"carol", "hc"}});
  accounts = s.load_accounts();
  ASSERT_EQ(accounts.size(), 1u);
  EXPECT_EQ(accounts[0].name, "carol");
}

TYPED_TEST(StoreContract, RollbackUndoes) {
  const auto owned = this->open();
  Store& s = *owned;
  s.replace_accounts({{"alice", "ha"}});
  s.begin();
  s.replace_accounts({});
  EXPECT_TRUE(s.load_accounts().empty());
  s.rollback();
  EXPECT_EQ(s.load_accounts().size(), 1u);
}

TYPED_TEST(StoreContract, SavepointRollbackKeepsTheRestOfTheTransaction) {
  const auto owned = this->open();
  Store& s = *owned;
  s.begin();
  s.record_login(login("kept", 1));
  s.savepoint();
  s.record_login(login("undone", 2));
  s.rollback_to_savepoint();
  s.savepoint();
  s.record_login(login("kept2", 3));
  s.release_savepoint();
  s.commit();
  const auto rows = s.logins_since(0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].name, "kept");
  EXPECT_EQ(rows[1].name, "kept2");
}

TYPED_TEST(StoreContract, LoginLogoutHistory) {
  const auto owned = this->open();
  Store& s = *owned;
  const auto a = s.record_login(login("alice", 100, 6100));
  const auto b = s.record_login(login("bob", 110));
  EXPECT_GT(a, 0);
  EXPECT_NE(a, b);
  s.record_logout(a, 150);
  auto rows = s.logins_since(0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, a);
  EXPECT_EQ(rows[0].udp_port, 6100);
  EXPECT_EQ(rows[0].login_unix, 100);
  EXPECT_EQ(rows[0].logout_unix, 150);
  EXPECT_FALSE(rows[1].logout_unix.has_value());
  // Since 151: alice left before, bob is still online.
  rows = s.logins_since(151);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "bob");
  EXPECT_EQ(s.logins_since(150).size(), 2u);
}

TYPED_TEST(StoreContract, CloseDanglingLogins) {
  {
    const auto owned = this->open();
    Store& s = *owned;
    const auto a = s.record_login(login("alice", 100));
    s.record_login(login("bob", 110));
    s.record_login(login("carol", 120));
    s.record_logout(a, 130);
  }  // a "crash": bob and carol never logged out
  const auto owned = this->open();
  Store& s = *owned;
  EXPECT_EQ(s.close_dangling_logins(500), 2);
  for (const auto& r : s.logins_since(0)) {
    ASSERT_TRUE(r.logout_unix.has_value()) << r.name;
    EXPECT_EQ(*r.logout_unix, r.name == "alice" ? 130 : 500) << r.name;
  }
  EXPECT_EQ(s.close_dangling_logins(600), 0);
}

}  // namespace
}  // namespace edgehub::store
