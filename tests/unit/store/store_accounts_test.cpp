// Accounts set with `edgehubd user` beside the credentials file's
// (docs/SECURITY.md#accounts).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

template <typename Backend>
class StoreAccounts : public testing::StoreTest<Backend> {};
TYPED_TEST_SUITE(StoreAccounts, testing::Backends, testing::BackendNames);

std::vector<std::string> names(Store& s) {
  std::vector<std::string> out;
  for (const auto& a : s.load_accounts()) out.push_back(a.name + ":" + a.password_hash + ":" + a.origin);
  return out;
}

TYPED_TEST(StoreAccounts, FileImportKeepsAdminAccountsItDoesNotName) {
  const auto owned = this->open();
  Store& s = *owned;
  s.replace_accounts({{"alice", "ha"}, {"bob", "hb"}});
  s.set_account({"zed", "hz", "admin"});
  s.set_account({"bob", "hb2", "admin"});  // passwd on a file account: now the admin's
  EXPECT_EQ(names(s), (std::vector<std::string>{"alice:ha:file", "bob:hb2:admin", "zed:hz:admin"}));
  s.replace_accounts({{"carol", "hc"}, {"zed", "hz3"}});  // the file changed: it names zed
  EXPECT_EQ(names(s), (std::vector<std::string>{"bob:hb2:admin", "carol:hc:file", "zed:hz3:file"}));
}

// The PostgreSQL store imports in pages of 1,000 through text[] literals:
// page edges, characters an array literal quotes, and a name given twice.
TYPED_TEST(StoreAccounts, FileImportKeepsEveryHashAsGivenAcrossPages) {
  const auto owned = this->open();
  Store& s = *owned;
  std::vector<Account> file;
  for (int i = 0; i < 2500; ++i)
    file.push_back({"dev" + std::to_string(10000 + i), "$argon2id$v=19$m=64,t=1,p=1$" + std::to_string(i)});
  file.push_back({"odd", R"(quote" back\slash {brace}, comma 'single')"});
  file.push_back({"null", "NULL"});
  file.push_back({"dev10007", "given again"});  // as when each line was upserted in turn: the last wins
  s.replace_accounts(file);
  const auto loaded = s.load_accounts();
  ASSERT_EQ(loaded.size(), 2502U);
  std::map<std::string, std::string> hash;
  for (const auto& a : loaded) hash[a.name] = a.password_hash;
  EXPECT_EQ(hash["dev10000"], "$argon2id$v=19$m=64,t=1,p=1$0");
  EXPECT_EQ(hash["dev10999"], "$argon2id$v=19$m=64,t=1,p=1$999");
  EXPECT_EQ(hash["dev11000"], "$argon2id$v=19$m=64,t=1,p=1$1000");
  EXPECT_EQ(hash["dev12499"], "$argon2id$v=19$m=64,t=1,p=1$2499");
  EXPECT_EQ(hash["odd"], R"(quote" back\slash {brace}, comma 'single')");
  EXPECT_EQ(hash["null"], "NULL");
  EXPECT_EQ(hash["dev10007"], "given again");
}

TYPED_TEST(StoreAccounts, DeleteSaysWhetherThereWasOne) {
  const auto owned = this->open();
  Store& s = *owned;
  s.set_account({"zed", "hz", "admin"});
  EXPECT_TRUE(s.delete_account("zed"));
  EXPECT_FALSE(s.delete_account("zed"));
  EXPECT_TRUE(s.load_accounts().empty());
}

TYPED_TEST(StoreAccounts, UnlockRequestsAreTakenOnce) {
  const auto owned = this->open();
  Store& s = *owned;
  s.request_unlock("carol", 20);
  s.request_unlock("bob", 10);
  s.request_unlock("carol", 30);  // asked twice: once is enough
  EXPECT_EQ(s.take_unlock_requests(), (std::vector<std::string>{"bob", "carol"}));
  EXPECT_TRUE(s.take_unlock_requests().empty());
}

TYPED_TEST(StoreAccounts, DataVersionMovesOnlyForOtherConnectionsCommits) {
  const auto server = this->open();
  const auto v0 = server->data_version();
  server->set_account({"own", "h", "admin"});
  EXPECT_EQ(server->data_version(), v0);
  const auto admin = this->open();
  admin->set_account({"zed", "hz", "admin"});
  EXPECT_NE(server->data_version(), v0);
}

}  // namespace
}  // namespace edgehub::store
