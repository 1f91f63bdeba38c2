// Offline messages (order, bound, deletion, durability across reopen) and
// blocks, in every store.
#include <gtest/gtest.h>

#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

template <typename Backend>
class MessagesStoreTest : public testing::StoreTest<Backend> {
 protected:
  // Accepted in call order unless a seq is given.
  OfflineMessage message(std::string to, std::string text, char kind = 'M', std::int64_t seq = 0) {
    return {0, seq ? seq : ++next_seq_, std::move(to), "alice", kind, std::move(text), 1'700'000'000};
  }
  static bool store(Store& s, const OfflineMessage& m, std::size_t bound = 0) {
    s.begin();
    const bool ok = s.store_offline(m, bound);
    s.commit();
    return ok;
  }

  std::int64_t next_seq_ = 0;
};
TYPED_TEST_SUITE(MessagesStoreTest, testing::Backends, testing::BackendNames);

TYPED_TEST(MessagesStoreTest, DeliversInOrderPerRecipient) {
  const auto s_owned = this->open();
  Store& s = *s_owned;
  this->store(s, this->message("bob", "one"));
  this->store(s, this->message("carol", "other"));
  this->store(s, this->message("bob", "two", 'B'));
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

TYPED_TEST(MessagesStoreTest, AfterIdAndLimitPage) {
  const auto s_owned = this->open();
  Store& s = *s_owned;
  for (int i = 0; i < 5; ++i) this->store(s, this->message("bob", std::to_string(i)));
  const auto first = s.offline_after("bob", 0, 2);
  ASSERT_EQ(first.size(), 2u);
  const auto rest = s.offline_after("bob", first.back().seq, 10);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest.front().text, "2");
  EXPECT_EQ(rest.back().text, "4");
}

TYPED_TEST(MessagesStoreTest, BoundRefusesAndStoresNothing) {
  const auto s_owned = this->open();
  Store& s = *s_owned;
  EXPECT_TRUE(this->store(s, this->message("bob", "a"), 2));
  EXPECT_TRUE(this->store(s, this->message("bob", "b"), 2));
  EXPECT_FALSE(this->store(s, this->message("bob", "c"), 2));
  EXPECT_EQ(s.offline_count("bob"), 2u);
  EXPECT_EQ(s.offline_after("bob", 0, 10).size(), 2u);
  EXPECT_TRUE(this->store(s, this->message("carol", "c"), 2));  // the bound is per recipient
}

TYPED_TEST(MessagesStoreTest, DeleteFreesTheQueueAndIgnoresForeignIds) {
  const auto s_owned = this->open();
  Store& s = *s_owned;
  this->store(s, this->message("bob", "a"));
  this->store(s, this->message("bob", "b"));
  this->store(s, this->message("carol", "c"));
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
  EXPECT_TRUE(this->store(s, this->message("bob", "again"), 1));  // count went back to zero
}

TYPED_TEST(MessagesStoreTest, DeliveryOrderIsAcceptanceNotInsertion) {
  // A message handed back by a closing connection is stored after later
  // ones but was accepted before them: it must come first.
  const auto s_owned = this->open();
  Store& s = *s_owned;
  this->store(s, this->message("bob", "later", 'M', 12));
  this->store(s, this->message("bob", "earlier", 'M', 11));
  const auto rows = s.offline_after("bob", 0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "earlier");
  EXPECT_EQ(rows[1].text, "later");
  EXPECT_GT(rows[0].id, rows[1].id);
}

TYPED_TEST(MessagesStoreTest, MaxSeqContinuesAfterReopen) {
  {
    const auto s_owned = this->open();
    Store& s = *s_owned;
    EXPECT_EQ(s.max_offline_seq(), 0);
    this->store(s, this->message("bob", "a", 'M', 40));
    this->store(s, this->message("carol", "b", 'M', 41));
  }
  const auto again_owned = this->open();
  Store& again = *again_owned;
  EXPECT_EQ(again.max_offline_seq(), 41);
}

TYPED_TEST(MessagesStoreTest, CommittedMessagesSurviveReopen) {
  {
    const auto s_owned = this->open();
    Store& s = *s_owned;
    for (int i = 0; i < 100; ++i) this->store(s, this->message("bob", "m" + std::to_string(i)));
  }
  const auto again_owned = this->open();
  Store& again = *again_owned;
  const auto rows = again.offline_after("bob", 0, 1000);
  ASSERT_EQ(rows.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rows[static_cast<std::size_t>(i)].text, "m" + std::to_string(i));
}

TYPED_TEST(MessagesStoreTest, RolledBackMessageIsNotStored) {
  const auto s_owned = this->open();
  Store& s = *s_owned;
  s.begin();
  s.store_offline(this->message("bob", "lost"), 0);
  s.rollback();
  EXPECT_TRUE(s.offline_after("bob", 0, 10).empty());
  EXPECT_EQ(s.offline_count("bob"), 0u);
}

TYPED_TEST(MessagesStoreTest, BlocksAddRemovePersist) {
  {
    const auto s_owned = this->open();
    Store& s = *s_owned;
    s.begin();
    EXPECT_TRUE(s.add_block("bob", "alice"));
    EXPECT_FALSE(s.add_block("bob", "alice"));
    EXPECT_TRUE(s.add_block("carol", "alice"));
    EXPECT_TRUE(s.remove_block("carol", "alice"));
    EXPECT_FALSE(s.remove_block("carol", "alice"));
    s.commit();
  }
  const auto again_owned = this->open();
  Store& again = *again_owned;
  const auto blocks = again.load_blocks();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].first, "bob");
  EXPECT_EQ(blocks[0].second, "alice");
}

}  // namespace
}  // namespace edgehub::store
