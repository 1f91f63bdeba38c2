// PostgresStore's per-recipient locks on the offline counts
// (store/postgres/recipient_locks.hpp): two transactions on different
// recipients both go ahead; a lock met below one already held is tried,
// and when taken elsewhere the attempt is doomed (its commit starts it
// over), and the next attempt takes what the doomed one met first, in
// order.
#include "store/postgres/recipient_locks.hpp"

#include <gtest/gtest.h>

#include "store/postgres/postgres_store.hpp"
#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

OfflineMessage message_to(const std::string& recipient, std::int64_t seq) {
  OfflineMessage m;
  m.seq = seq;
  m.recipient = recipient;
  m.sender = "sender";
  m.text = "hello";
  return m;
}

// Two recipients whose keys are ordered low < high.
struct Pair {
  std::string low, high;
};
Pair ordered_recipients() {
  Pair p{"anna", "bert"};
  if (RecipientLocks::key_of(p.low) > RecipientLocks::key_of(p.high)) std::swap(p.low, p.high);
  return p;
}

class RecipientLocksTest : public ::testing::Test {
 protected:
  std::unique_ptr<PostgresStore> open() { return std::make_unique<PostgresStore>(backend_.url()); }
  testing::PostgresBackend backend_;
};

TEST_F(RecipientLocksTest, KeysAreStableAndSpread) {
  EXPECT_EQ(RecipientLocks::key_of("anna"), RecipientLocks::key_of("anna"));
  EXPECT_NE(RecipientLocks::key_of("anna"), RecipientLocks::key_of("bert"));
}

TEST_F(RecipientLocksTest, TransactionsOnDifferentRecipientsDoNotWaitForEachOther) {
  const Pair p = ordered_recipients();
  auto a = open();
  auto b = open();
  a->begin();
  b->begin();
  EXPECT_TRUE(a->store_offline(message_to(p.high, 1), 0));
  EXPECT_TRUE(b->store_offline(message_to(p.low, 2), 0));  // would block here under one global lock
  b->commit();
  a->commit();
  EXPECT_EQ(open()->offline_count(p.low), 1u);
  EXPECT_EQ(open()->offline_count(p.high), 1u);
}

TEST_F(RecipientLocksTest, ALockBelowOneHeldAndTakenElsewhereStartsTheTransactionOver) {
  const Pair p = ordered_recipients();
  auto a = open();
  auto b = open();
  a->begin();
  ASSERT_TRUE(a->store_offline(message_to(p.high, 1), 0));
  b->begin();
  ASSERT_TRUE(b->store_offline(message_to(p.low, 2), 0));
  // Waiting here could close a cycle (b may want p.high next): a's attempt
  // is doomed, and what it is asked to do afterwards is not done.
  EXPECT_TRUE(a->store_offline(message_to(p.low, 3), 0));
  const std::string other = p.low + "-too";
  EXPECT_TRUE(a->store_offline(message_to(other, 4), 0));
  EXPECT_THROW(a->commit(), TransactionStartOver);
  a->rollback();
  b->commit();
  EXPECT_EQ(open()->offline_count(p.high), 0u) << "the doomed attempt left nothing";
  EXPECT_EQ(open()->offline_count(other), 0u);
  // The next attempt takes both locks first, in order, then does it all.
  a->begin();
  ASSERT_TRUE(a->store_offline(message_to(p.high, 1), 0));
  ASSERT_TRUE(a->store_offline(message_to(p.low, 3), 0));
  a->commit();
  EXPECT_EQ(open()->offline_count(p.low), 2u);
  EXPECT_EQ(open()->offline_count(p.high), 1u);
}

TEST_F(RecipientLocksTest, ALockGivenBackWithItsSavepointIsNotCountedAsHeld) {
  const Pair p = ordered_recipients();
  auto a = open();
  auto b = open();
  a->begin();
  a->savepoint();
  ASSERT_TRUE(a->store_offline(message_to(p.low, 1), 0));
  a->rollback_to_savepoint();  // PostgreSQL releases p.low's lock here
  b->begin();
  ASSERT_TRUE(b->store_offline(message_to(p.low, 2), 0));  // so b takes it at once
  ASSERT_TRUE(a->store_offline(message_to(p.high, 3), 0));
  // a no longer holds p.low: it must try it, and b has it.
  EXPECT_TRUE(a->store_offline(message_to(p.low, 4), 0));
  EXPECT_THROW(a->commit(), TransactionStartOver);
  a->rollback();
  b->commit();
  EXPECT_EQ(open()->offline_count(p.low), 1u);
  EXPECT_EQ(open()->offline_count(p.high), 0u);
}

TEST_F(RecipientLocksTest, TheMaxOfflineBoundHoldsAcrossConnections) {
  auto a = open();
  auto b = open();
  a->begin();
  ASSERT_TRUE(a->store_offline(message_to("carl", 1), 1));
  a->commit();
  b->begin();
  EXPECT_FALSE(b->store_offline(message_to("carl", 2), 1));
  b->commit();
  EXPECT_EQ(open()->offline_count("carl"), 1u);
}

}  // namespace
}  // namespace edgehub::store
