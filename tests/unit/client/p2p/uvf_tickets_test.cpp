// The receiver's UVF tickets: announced by the server, redeemed once, only
// for the announced file and size, and only for a limited time.
#include <gtest/gtest.h>

#include "client/p2p/uvf_tickets.hpp"

namespace edgehub::client {
namespace {

using Clock = UvfTickets::Clock;

TEST(UvfTickets, ParsesTheServersAnnouncement) {
  const std::string key(64, 'a');  // the sender's public key (docs/UDP.md#14-end-to-end-encryption)
  auto a = UvfTickets::parse("alice 1234 0123456789abcdef " + key + " my file.bin");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->sender, "alice");
  EXPECT_EQ(a->size, 1234u);
  EXPECT_EQ(a->ticket, "0123456789abcdef");
  EXPECT_EQ(a->file, "my file.bin");  // the rest of the line
  EXPECT_EQ(a->key.key[0], 0xaa);
  EXPECT_FALSE(a->key.offer);
  a = UvfTickets::parse("alice 1234 0123456789abcdef " + key + ":xchacha20poly1305 my file.bin");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->key.offer, "xchacha20poly1305");  // the sender's cipher offer
  EXPECT_EQ(a->file, "my file.bin");
  EXPECT_FALSE(UvfTickets::parse("alice notanumber t " + key + " f"));
  EXPECT_FALSE(UvfTickets::parse("alice 12 t " + key));
  EXPECT_FALSE(UvfTickets::parse("alice 12 t notakey f"));  // an old server's announcement: no key
  EXPECT_FALSE(UvfTickets::parse("alice 12 t f"));
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
  EXPECT_TRUE(t.key_of("tk", now));                // its key stays, to refuse a second SYN in a sealed ABORT
  EXPECT_FALSE(t.key_of("tk", now + UvfTickets::kTicketLifetime));
  EXPECT_FALSE(t.key_of("nope", now));
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
