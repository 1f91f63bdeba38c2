#include "hub/abuse/abuse_limits.hpp"

#include <gtest/gtest.h>

#include "unit/hub/injected_time.hpp"

#include <string>
#include <vector>

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using Clock = AbuseLimits::Clock;
using protocol::StatusCode;

using test::t0;  // injected time, never the real clock

AbuseConfig unlimited() { return {0, 1, 0, 0, 0, 0, 0, 0, 0}; }

struct Fixture {
  explicit Fixture(AbuseConfig c) : limits(c, [this](const std::string& l) { lines.push_back(l); }) {}
  std::vector<std::string> lines;
  AbuseLimits limits;
};

TEST(AbuseLimits, ConnectionsPerAddressAreCappedOthersUnaffected) {
  AbuseConfig c = unlimited();
  c.max_per_address = 2;
  Fixture f(c);
  EXPECT_FALSE(f.limits.admit("192.0.2.7", t0));
  EXPECT_FALSE(f.limits.admit("192.0.2.7", t0));
  const auto refusal = f.limits.admit("192.0.2.7", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, StatusCode::TooManyRequests);
  EXPECT_EQ(refusal->text, "Too many connections from your address (limit 2); try again later");
  EXPECT_FALSE(f.limits.admit("192.0.2.8", t0));  // another address
  f.limits.release("192.0.2.7", false);
  EXPECT_FALSE(f.limits.admit("192.0.2.7", t0));  // a place freed
  EXPECT_EQ(f.limits.connections(), 3u);
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_NE(f.lines[0].find("event=limit addr=192.0.2.7"), std::string::npos);
}

TEST(AbuseLimits, ConnectRateIsATokenBucketPerAddress) {
  AbuseConfig c = unlimited();
  c.connect_rate = 2;
  c.connect_burst = 3;
  Fixture f(c);
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(f.limits.admit("192.0.2.7", t0));
  const auto refusal = f.limits.admit("192.0.2.7", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text, "Too many new connections from your address (limit 2 per second); try again later");
  EXPECT_FALSE(f.limits.admit("192.0.2.8", t0));
  EXPECT_TRUE(f.limits.admit("192.0.2.7", t0 + 499ms));
  EXPECT_FALSE(f.limits.admit("192.0.2.7", t0 + 500ms));  // refilled one
}

TEST(AbuseLimits, UnauthenticatedConnectionsAreCappedInAll) {
  AbuseConfig c = unlimited();
  c.max_unauthenticated = 2;
  Fixture f(c);
  ASSERT_FALSE(f.limits.admit("192.0.2.1", t0));
  ASSERT_FALSE(f.limits.admit("192.0.2.2", t0));
  const auto refusal = f.limits.admit("192.0.2.3", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, StatusCode::Unavailable);
  EXPECT_EQ(refusal->text, "Too many connections waiting to log in (limit 2); try again later");
  f.limits.logged_in();  // one of them logged in: room for another
  EXPECT_FALSE(f.limits.admit("192.0.2.3", t0));
  EXPECT_EQ(f.limits.unauthenticated(), 2u);
  f.limits.release("192.0.2.1", true);  // the logged-in one leaves: still 2 waiting
  EXPECT_EQ(f.limits.unauthenticated(), 2u);
  f.limits.release("192.0.2.2", false);
  EXPECT_EQ(f.limits.unauthenticated(), 1u);
  EXPECT_EQ(f.limits.connections(), 1u);
}

TEST(AbuseLimits, ConnectionsAreCappedInAll) {
  AbuseConfig c = unlimited();
  c.max_connections = 1;
  Fixture f(c);
  ASSERT_FALSE(f.limits.admit("192.0.2.1", t0));
  const auto refusal = f.limits.admit("192.0.2.2", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text, "Server full (limit 1 connections), try again later");
}

TEST(AbuseLimits, FailedLoginsPerAddressPerMinute) {
  AbuseConfig c = unlimited();
  c.failed_logins_per_minute = 3;
  Fixture f(c);
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(f.limits.login_refusal("192.0.2.7", t0));
    f.limits.login_failed("192.0.2.7", t0);
  }
  const auto refusal = f.limits.login_refusal("192.0.2.7", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, StatusCode::TooManyRequests);
  EXPECT_EQ(refusal->text, "Too many failed logins from your address (limit 3 per minute); try again in 20 seconds");
  EXPECT_FALSE(f.limits.login_refusal("192.0.2.8", t0));        // another address
  EXPECT_FALSE(f.limits.login_refusal("192.0.2.7", t0 + 20s));  // one failure forgiven per 20 s
}

TEST(AbuseLimits, IPv6CountsPerSlash64) {
  EXPECT_EQ(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("192.0.2.7"), "192.0.2.7");
  AbuseConfig c = unlimited();
  c.max_per_address = 1;
  Fixture f(c);
  ASSERT_FALSE(f.limits.admit("2001:db8:1:2::1", t0));
  EXPECT_TRUE(f.limits.admit("2001:db8:1:2::2", t0));  // same /64
  EXPECT_FALSE(f.limits.admit("2001:db8:1:3::1", t0));
}

TEST(AbuseLimits, QueuedBytesAreCappedInAll) {
  AbuseConfig c = unlimited();
  c.max_queued_bytes = 100;
  Fixture f(c);
  EXPECT_TRUE(f.limits.charge_output(60));
  EXPECT_FALSE(f.limits.charge_output(41));  // would pass the cap: nothing charged
  EXPECT_EQ(f.limits.queued_bytes(), 60u);
  EXPECT_TRUE(f.limits.charge_output(40));
  f.limits.release_output(100);
  EXPECT_EQ(f.limits.queued_bytes(), 0u);
  const Refusal r = f.limits.output_refusal("192.0.2.7", t0);
  EXPECT_EQ(r.code, StatusCode::Unavailable);
}

TEST(AbuseLimits, IdleAddressesAreForgotten) {
  AbuseConfig c = unlimited();
  c.connect_rate = 1;
  c.connect_burst = 1;
  Fixture f(c);
  ASSERT_FALSE(f.limits.admit("192.0.2.7", t0));
  f.limits.release("192.0.2.7", false);
  f.limits.maintain(t0 + 500ms);  // the bucket is not full yet: remembered
  EXPECT_EQ(f.limits.tracked_addresses(), 1u);
  f.limits.maintain(t0 + 20s);
  EXPECT_EQ(f.limits.tracked_addresses(), 0u);
}

TEST(AbuseLimits, TlsHandshakesInProgressAreCapped) {
  AbuseConfig c = unlimited();
  c.max_tls_handshakes = 2;
  Fixture f(c);
  ASSERT_FALSE(f.limits.begin_handshake("192.0.2.1", t0));
  ASSERT_FALSE(f.limits.begin_handshake("192.0.2.2", t0));
  const auto refusal = f.limits.begin_handshake("192.0.2.3", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text, "Too many TLS handshakes in progress (limit 2); try again later");
  f.limits.end_handshake();
  EXPECT_FALSE(f.limits.begin_handshake("192.0.2.3", t0));
  EXPECT_EQ(f.limits.handshakes(), 2u);
}

TEST(AbuseLimits, TlsHandshakesPerSecondAreCapped) {
  AbuseConfig c = unlimited();
  c.tls_handshake_rate = 2;
  Fixture f(c);
  ASSERT_FALSE(f.limits.begin_handshake("192.0.2.1", t0));
  ASSERT_FALSE(f.limits.begin_handshake("192.0.2.1", t0));
  const auto refusal = f.limits.begin_handshake("192.0.2.2", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text, "Too many TLS handshakes (limit 2 per second); try again later");
  EXPECT_FALSE(f.limits.begin_handshake("192.0.2.2", t0 + 500ms));  // one more token
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_NE(f.lines[0].find("detail=tls_rate limit=2"), std::string::npos);
}

TEST(AbuseLimits, ReconfiguredLimitsHoldFromTheNextCallAndKeepWhatIsCounted) {
  AbuseConfig c = unlimited();
  c.max_per_address = 1;
  c.max_queued_bytes = 100;
  Fixture f(c);
  EXPECT_FALSE(f.limits.admit("192.0.2.7", t0));
  EXPECT_TRUE(f.limits.admit("192.0.2.7", t0));
  EXPECT_TRUE(f.limits.charge_output(100));
  EXPECT_FALSE(f.limits.charge_output(1));
  c.max_per_address = 2;
  c.max_queued_bytes = 150;
  f.limits.reconfigure(c);
  EXPECT_EQ(f.limits.config().max_per_address, 2u);
  EXPECT_FALSE(f.limits.admit("192.0.2.7", t0));  // the one already open still counts
  const auto refusal = f.limits.admit("192.0.2.7", t0);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->text, "Too many connections from your address (limit 2); try again later");
  EXPECT_TRUE(f.limits.charge_output(50));
  EXPECT_FALSE(f.limits.charge_output(1));
  EXPECT_EQ(f.limits.queued_bytes(), 150u);
}

TEST(AbuseLimits, ZeroMeansNoLimit) {
  Fixture f(unlimited());
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(f.limits.admit("192.0.2.7", t0));
  for (int i = 0; i < 1000; ++i) f.limits.login_failed("192.0.2.7", t0);
  EXPECT_FALSE(f.limits.login_refusal("192.0.2.7", t0));
  EXPECT_TRUE(f.limits.charge_output(1ULL << 40));
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(f.limits.begin_handshake("192.0.2.7", t0));
}

}  // namespace
}  // namespace edgehub::hub
