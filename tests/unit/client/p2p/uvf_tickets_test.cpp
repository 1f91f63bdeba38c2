// The receiver's UVF tickets: announced by the server, redeemed once, only
// for the announced file and size, and only for a limited time.
#include <gtest/gtest.h>

#include "client/p2p/uvf_tickets.hpp"

namespace edgehub::client {
namespace {

using Clock = UvfTickets::Clock;

TEST(UvfTickets, ParsesTheServersAnnouncement) {
  auto a = UvfTickets::parse("alice 1234 0123456789abcdef my file.bin");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->sender, "alice");
  EXPECT_EQ(a->size, 1234u);
  EXPECT_EQ(a->ticket, "0123456789abcdef");
  EXPECT_EQ(a->file, "my file.bin");  // the rest of the line
  EXPECT_FALSE(UvfTickets::parse("alice notanumber t f"));
  EXPECT_FALSE(UvfTickets::parse("alice 12 t"));
  EXPECT_FALSE(UvfTickets::parse(""));
}

TEST(UvfTickets, RedeemedOnceForTheAnnouncedFileOnly) {
  UvfTickets t;
  const auto now = Clock::now();
  t.add({"alice", 10, "tk", "x.bin"}, now);
  EXPECT_FALSE(t.redeem("tk", "other.bin", 10, now));
  EXPECT_FALSE(t.redeem("tk", "x.bin", 11, now));
  EXPECT_FALSE(t.redeem("nope", "x.bin", 10, now));
  EXPECT_EQ(t.redeem("tk", "x.bin", 10, now), "alice");
  EXPECT_FALSE(t.redeem("tk", "x.bin", 10, now));  // used up
}

TEST(UvfTickets, ExpireAfterTheirLifetime) {
  UvfTickets t;
  const auto now = Clock::now();
  t.add({"alice", 10, "tk", "x.bin"}, now);
  t.add({"bob", 10, "tk2", "x.bin"}, now);
  EXPECT_FALSE(t.redeem("tk", "x.bin", 10, now + UvfTickets::kTicketLifetime));
  EXPECT_EQ(t.size(), 0u);
}

TEST(UvfTickets, BoundedInNumber) {
  UvfTickets t;
  const auto now = Clock::now();
  for (std::size_t i = 0; i < UvfTickets::kMaxTickets + 10; ++i) t.add({"a", 1, "t" + std::to_string(i), "f"}, now);
  EXPECT_EQ(t.size(), UvfTickets::kMaxTickets);
}

}  // namespace
}  // namespace edgehub::client
