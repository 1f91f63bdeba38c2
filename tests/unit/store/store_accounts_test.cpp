// Accounts set with `edgehubd user` beside the credentials file's
// (docs/SECURITY.md#accounts).
#include <gtest/gtest.h>

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
