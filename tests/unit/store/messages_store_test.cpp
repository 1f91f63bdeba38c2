// SqliteStore: offline messages (order, bound, deletion, durability across
// reopen) and blocks.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/sqlite_store.hpp"

namespace edgehub::store {
namespace {

class MessagesStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("edgehub-msg-store-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path file() const { return dir_ / "test.db"; }

  // Accepted in call order unless a seq is given.
  OfflineMessage message(std::string to, std::string text, char kind = 'M', std::int64_t seq = 0) {
    return {0, seq ? seq : ++next_seq_, std::move(to), "alice", kind, std::move(text), 1'700'000'000};
  }
  static bool store(SqliteStore& s, const OfflineMessage& m, std::size_t bound = 0) {
    s.begin();
    const bool ok = s.store_offline(m, bound);
    s.commit();
    return ok;
  }

  std::filesystem::path dir_;
  std::int64_t next_seq_ = 0;
};

TEST_F(MessagesStoreTest, DeliversInOrderPerRecipient) {
  SqliteStore s(file());
  store(s, message("bob", "one"));
  store(s, message("carol", "other"));
  store(s, message("bob", "two", 'B'));
  const auto rows = s.offline_after("bob", 0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "one");
  EXPECT_EQ(rows[0].kind, 'M');
  EXPECT_EQ(rows[0].sender, "alice");
  EXPECT_EQ(rows[1].text, "two");
  EXPECT_EQ(rows[1].kind, 'B');
  EXPECT_LT(rows[0].seq, rows[1].seq);
  EXPECT_EQ(s.offline_count("bob"), 2u);
  EXPECT_EQ(s.offline_count("carol"), 1u);
}

TEST_F(MessagesStoreTest, AfterIdAndLimitPage) {
  SqliteStore s(file());
  for (int i = 0; i < 5; ++i) store(s, message("bob", std::to_string(i)));
  const auto first = s.offline_after("bob", 0, 2);
  ASSERT_EQ(first.size(), 2u);
  const auto rest = s.offline_after("bob", first.back().seq, 10);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest.front().text, "2");
  EXPECT_EQ(rest.back().text, "4");
}

TEST_F(MessagesStoreTest, BoundRefusesAndStoresNothing) {
  SqliteStore s(file());
  EXPECT_TRUE(store(s, message("bob", "a"), 2));
  EXPECT_TRUE(store(s, message("bob", "b"), 2));
  EXPECT_FALSE(store(s, message("bob", "c"), 2));
  EXPECT_EQ(s.offline_count("bob"), 2u);
  EXPECT_EQ(s.offline_after("bob", 0, 10).size(), 2u);
  EXPECT_TRUE(store(s, message("carol", "c"), 2));  // the bound is per recipient
}

TEST_F(MessagesStoreTest, DeleteFreesTheQueueAndIgnoresForeignIds) {
  SqliteStore s(file());
  store(s, message("bob", "a"));
  store(s, message("bob", "b"));
  store(s, message("carol", "c"));
  const auto bob = s.offline_after("bob", 0, 10);
  const auto carol = s.offline_after("carol", 0, 10);
  s.begin();
  s.delete_offline("bob", {bob[0].id, carol[0].id, 999'999});  // carol's id is not bob's to delete
  s.commit();
  EXPECT_EQ(s.offline_count("bob"), 1u);
  EXPECT_EQ(s.offline_count("carol"), 1u);
  s.begin();
  s.delete_offline("bob", {bob[1].id});
  s.commit();
  EXPECT_EQ(s.offline_count("bob"), 0u);
  EXPECT_TRUE(s.offline_after("bob", 0, 10).empty());
  EXPECT_TRUE(store(s, message("bob", "again"), 1));  // count went back to zero
}

TEST_F(MessagesStoreTest, DeliveryOrderIsAcceptanceNotInsertion) {
  // A message handed back by a closing connection is stored after later
  // ones but was accepted before them: it must come first.
  SqliteStore s(file());
  store(s, message("bob", "later", 'M', 12));
  store(s, message("bob", "earlier", 'M', 11));
  const auto rows = s.offline_after("bob", 0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "earlier");
  EXPECT_EQ(rows[1].text, "later");
  EXPECT_GT(rows[0].id, rows[1].id);
}

TEST_F(MessagesStoreTest, MaxSeqContinuesAfterReopen) {
  {
    SqliteStore s(file());
    EXPECT_EQ(s.max_offline_seq(), 0);
    store(s, message("bob", "a", 'M', 40));
    store(s, message("carol", "b", 'M', 41));
  }
  SqliteStore again(file());
  EXPECT_EQ(again.max_offline_seq(), 41);
}

TEST_F(MessagesStoreTest, CommittedMessagesSurviveReopen) {
  {
    SqliteStore s(file());
    for (int i = 0; i < 100; ++i) store(s, message("bob", "m" + std::to_string(i)));
  }
  SqliteStore again(file());
  const auto rows = again.offline_after("bob", 0, 1000);
  ASSERT_EQ(rows.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rows[static_cast<std::size_t>(i)].text, "m" + std::to_string(i));
}

TEST_F(MessagesStoreTest, RolledBackMessageIsNotStored) {
  SqliteStore s(file());
  s.begin();
  s.store_offline(message("bob", "lost"), 0);
  s.rollback();
  EXPECT_TRUE(s.offline_after("bob", 0, 10).empty());
  EXPECT_EQ(s.offline_count("bob"), 0u);
}

TEST_F(MessagesStoreTest, BlocksAddRemovePersist) {
  {
    SqliteStore s(file());
    s.begin();
    EXPECT_TRUE(s.add_block("bob", "alice"));
    EXPECT_FALSE(s.add_block("bob", "alice"));
    EXPECT_TRUE(s.add_block("carol", "alice"));
    EXPECT_TRUE(s.remove_block("carol", "alice"));
    EXPECT_FALSE(s.remove_block("carol", "alice"));
    s.commit();
  }
  SqliteStore again(file());
  const auto blocks = again.load_blocks();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].first, "bob");
  EXPECT_EQ(blocks[0].second, "alice");
}

}  // namespace
}  // namespace edgehub::store
