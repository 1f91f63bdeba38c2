// The bookkeeping of the logged cluster events (hub/cluster/event_log.hpp):
// which payloads are logged, and a listener's record of those it has had,
// so that a catch-up and the notifications that waited meanwhile never
// hand one over twice. Reading and writing the log needs PostgreSQL:
// test_cluster_presence.py.
#include <gtest/gtest.h>

#include "hub/cluster/event_log.hpp"

namespace edgehub::hub {
namespace {

TEST(EventLog, LogsBroadcastsAndFailedLoginsOnly) {
  EXPECT_TRUE(logged_event("B\tnode\talice\t1700000000\thello"));
  EXPECT_TRUE(logged_event("F\tnode\talice"));
  for (const char* other : {"L\tnode\talice\t127.0.0.1\t0\t1\t", "O\tnode\talice\t1", "K\tnode\talice", "Q\t1\tB",
                            "X\tnode\ta\tb\t1", "", "B", "Bx\tnode"})
    EXPECT_FALSE(logged_event(other)) << other;
}

TEST(EventLog, ALoggedNotificationLosesItsSeqAndIsHandedOverOnce) {
  MissedEvents missed;
  EXPECT_EQ(missed.live("Q\t5\tB\tnode\talice\t1\thi"), "B\tnode\talice\t1\thi");
  EXPECT_EQ(missed.live("Q\t5\tB\tnode\talice\t1\thi"), std::nullopt);
  EXPECT_EQ(missed.live("K\tnode\tbob"), "K\tnode\tbob") << "not logged: always passed on";
  EXPECT_EQ(missed.live("K\tnode\tbob"), "K\tnode\tbob");
}

TEST(EventLog, OneReadByACatchUpIsNotHandedOverAgainWhenItsNotificationComes) {
  MissedEvents missed;
  missed.start_after(10);
  EXPECT_TRUE(missed.first_time(11));  // read by the catch-up
  EXPECT_EQ(missed.live("Q\t11\tF\tnode\talice"), std::nullopt);
  EXPECT_EQ(missed.live("Q\t12\tF\tnode\talice"), "F\tnode\talice");
  EXPECT_FALSE(missed.first_time(12)) << "had live: a later catch-up skips it";
}

TEST(EventLog, ANotificationAfterTheStartPointIsStillHandedOver) {
  // A sender that took seq 9 may commit after the listener read the log's
  // newest (10): its notification comes live and counts.
  MissedEvents missed;
  missed.start_after(10);
  EXPECT_EQ(missed.live("Q\t9\tB\tnode\talice\t1\tlate"), "B\tnode\talice\t1\tlate");
}

TEST(EventLog, AMalformedSeqIsPassedOnForTheDecoderToRefuse) {
  MissedEvents missed;
  EXPECT_EQ(missed.live("Q\tx\tB\tnode"), "Q\tx\tB\tnode");
  EXPECT_EQ(missed.live("Q\t12"), "Q\t12");
}

TEST(EventLog, TheRecordIsBoundedAndACatchUpThenStartsAfterWhatItForgot) {
  MissedEvents missed;
  missed.start_after(0);
  for (std::int64_t seq = 1; seq <= 5000; ++seq) ASSERT_TRUE(missed.first_time(seq));
  EXPECT_EQ(missed.read_after(), 5000 - 4096);
  EXPECT_FALSE(missed.first_time(5000));
}

}  // namespace
}  // namespace edgehub::hub
