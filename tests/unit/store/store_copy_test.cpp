// The bulk methods `edgehubd migrate` uses (count_rows, load_*, *_page,
// insert_rows) in every store, and copy_store from a populated SQLite
// store into every store (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql).
#include "store/store_copy.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

template <typename Backend>
class StoreCopy : public testing::StoreTest<Backend> {};
TYPED_TEST_SUITE(StoreCopy, testing::Backends, testing::BackendNames);

// Everything a store holds, as text, ids included: equal text, equal stores.
std::vector<std::string> everything(Store& s) {
  std::vector<std::string> out;
  for (const auto& [k, v] : s.load_meta()) out.push_back(fmt::format("meta {}={}", k, v));
  for (const auto& a : s.load_accounts())
    out.push_back(fmt::format("account {} {} {} {}", a.name, a.password_hash, a.origin, a.admin));
  for (const auto& u : s.load_unlock_requests()) out.push_back(fmt::format("unlock {} {}", u.name, u.at_unix));
  for (const auto& c : s.load_device_certificates())
    out.push_back(fmt::format("cert {} {} {} {} {} {}", c.serial, c.name, c.fingerprint, c.issued_unix, c.not_after,
                              c.revoked_unix.value_or(-1)));
  for (const auto& r : s.logins_page(0, 1000))
    out.push_back(fmt::format("login {} {} {} {} {} {}", r.id, r.name, r.ip, r.udp_port, r.login_unix,
                              r.logout_unix.value_or(-1)));
  for (const auto& m : s.offline_page(0, 1000))
    out.push_back(
        fmt::format("message {} {} {} {} {} {} {}", m.id, m.seq, m.recipient, m.sender, m.kind, m.text, m.sent_unix));
  for (const auto& [r, n] : s.load_offline_counts()) out.push_back(fmt::format("count {} {}", r, n));
  for (const auto& [a, b] : s.load_blocks()) out.push_back(fmt::format("block {} {}", a, b));
  return out;
}

// A hub's worth of rows, written through the ordinary methods.
void populate(Store& s) {
  s.begin();
  s.set_meta("credentials_digest", "d1");
  s.replace_accounts({{"alice", "$argon2id$a"}, {"bob", "$argon2id$b"}});
  s.set_account({"zed", "$argon2id$z", "admin"});
  s.set_account({"cam", "", "cert"});
  s.set_admin("alice", true);
  s.request_unlock("bob", 77);
  s.add_device_certificate({"0A", "cam", "SHA256:x", 10, "2028-01-01 00:00:00 UTC"});
  s.add_device_certificate({"0B", "cam", "SHA256:y", 11, "2028-01-01 00:00:00 UTC"});
  s.revoke_device_certificates("cam", 12);
  s.add_device_certificate({"0C", "cam", "SHA256:w", 13, "2029-01-01 00:00:00 UTC"});
  const auto first = s.record_login({0, "alice", "127.0.0.1", 5000, 100, std::nullopt});
  s.record_logout(first, 150);
  s.record_login({0, "bob", "10.0.0.2", 0, 120, std::nullopt});  // still open: a crash
  for (int i = 1; i <= 5; ++i)
    s.store_offline({0, i, i % 2 ? "bob" : "zed", "alice", 'M', fmt::format("m{}", i), 200}, 0);
  s.store_offline({0, 6, "bob", "zed", 'B', "all of you", 201}, 0);
  s.delete_offline("zed", {s.offline_after("zed", 0, 1).front().id});  // delivered: a gap in ids
  s.add_block("bob", "zed");
  s.commit();
}

TYPED_TEST(StoreCopy, CountsEveryDataTable) {
  const auto owned = this->open();
  Store& s = *owned;
  EXPECT_FALSE(holds_data(s.count_rows()));
  populate(s);
  const auto counts = s.count_rows();
  EXPECT_TRUE(holds_data(counts));
  EXPECT_EQ(counts, (std::vector<TableCount>{{"meta", 1},
                                             {"accounts", 4},
                                             {"account_unlocks", 1},
                                             {"device_certificates", 3},
                                             {"logins", 2},
                                             {"offline_messages", 5},
                                             {"offline_counts", 2},
                                             {"blocks", 1}}));
}

TYPED_TEST(StoreCopy, PagesGoByIdAndEnd) {
  const auto owned = this->open();
  Store& s = *owned;
  populate(s);
  const auto first = s.offline_page(0, 3);
  ASSERT_EQ(first.size(), 3u);
  const auto rest = s.offline_page(first.back().id, 3);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_LT(first.back().id, rest.front().id);
  EXPECT_EQ(rest.back().text, "all of you");
  EXPECT_TRUE(s.offline_page(rest.back().id, 3).empty());
  const auto logins = s.logins_page(0, 1);
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0].logout_unix, 150);
  EXPECT_EQ(s.logins_page(logins[0].id, 5).at(0).logout_unix, std::nullopt);
}

TYPED_TEST(StoreCopy, CopyFromSqliteKeepsEveryRowAsItWas) {
  testing::SqliteBackend source_backend;
  const auto source = source_backend.open();
  populate(*source);
  const auto owned = this->open();
  Store& target = *owned;
  std::vector<std::string> told;
  const auto copied = copy_store(
      *source, target,
      [&](const TableCount& c, bool done) {
        told.push_back(fmt::format("{} {}{}", c.table, c.rows, done ? "" : "..."));
      },
      2);  // pages of two rows: the paging is exercised
  EXPECT_EQ(everything(target), everything(*source));
  EXPECT_EQ(copied, source->count_rows());
  EXPECT_EQ(count_differences(source->count_rows(), target.count_rows()), "");
  EXPECT_EQ(told,
            (std::vector<std::string>{"meta 1", "accounts 4", "account_unlocks 1", "device_certificates 3",
                                      "logins 2...", "logins 2", "offline_messages 2...", "offline_messages 4...",
                                      "offline_messages 5...", "offline_messages 5", "offline_counts 2", "blocks 1"}));
  // The copy behaves as the original: delivery order, counts, blocks, and
  // new ids past the copied ones.
  EXPECT_EQ(target.offline_count("bob"), 4u);
  EXPECT_EQ(target.offline_after("bob", 0, 10).back().text, "all of you");
  EXPECT_EQ(target.max_offline_seq(), 6);
  const auto largest_login = target.logins_page(0, 10).back().id;
  EXPECT_GT(target.record_login({0, "carol", "127.0.0.1", 1, 300, std::nullopt}), largest_login);
  const auto largest_message = target.offline_page(0, 10).back().id;
  target.store_offline({0, 7, "bob", "carol", 'M', "new", 300}, 0);
  EXPECT_GT(target.offline_page(largest_message, 10).at(0).id, largest_message);
}

TYPED_TEST(StoreCopy, InsertingARowTwiceFails) {
  const auto owned = this->open();
  Store& s = *owned;
  StoreRows rows;
  rows.accounts = {{"alice", "h", "admin", true}};
  s.insert_rows(rows);
  EXPECT_THROW(s.insert_rows(rows), std::runtime_error);
  EXPECT_EQ(s.load_accounts().at(0).admin, true);
  EXPECT_EQ(s.load_accounts().at(0).origin, "admin");
}

TEST(StoreCopyCounts, DifferencesNameTheTable) {
  EXPECT_EQ(count_differences({{"accounts", 3}, {"blocks", 1}}, {{"accounts", 3}, {"blocks", 0}}),
            "blocks: 1 in the source, 0 in the target");
}

}  // namespace
}  // namespace edgehub::store
