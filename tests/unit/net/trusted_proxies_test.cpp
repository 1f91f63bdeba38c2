// --proxy-protocol's networks (src/net/trusted_proxies.hpp).
#include "net/trusted_proxies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace edgehub::net {
namespace {

namespace ip = boost::asio::ip;

TEST(TrustedProxies, MatchesIpv4NetworksAndSingleAddresses) {
  const auto proxies = TrustedProxies::parse({"127.0.0.1/32", "10.1.0.0/16,192.0.2.9"});
  EXPECT_TRUE(proxies.contains(ip::make_address("127.0.0.1")));
  EXPECT_FALSE(proxies.contains(ip::make_address("127.0.0.2")));
  EXPECT_TRUE(proxies.contains(ip::make_address("10.1.255.3")));
  EXPECT_FALSE(proxies.contains(ip::make_address("10.2.0.1")));
  EXPECT_TRUE(proxies.contains(ip::make_address("192.0.2.9")));
  EXPECT_FALSE(proxies.contains(ip::make_address("::1")));
}

TEST(TrustedProxies, MatchesIpv6AndMappedIpv4) {
  const auto proxies = TrustedProxies::parse({"fd00::/8", "::1", "10.0.0.0/8"});
  EXPECT_TRUE(proxies.contains(ip::make_address("fd12:3456::1")));
  EXPECT_FALSE(proxies.contains(ip::make_address("fe80::1")));
  EXPECT_TRUE(proxies.contains(ip::make_address("::1")));
  EXPECT_TRUE(proxies.contains(ip::make_address("::ffff:10.9.8.7")));  // a dual-stack listener's IPv4 peer
  EXPECT_FALSE(proxies.contains(ip::make_address("::ffff:11.0.0.1")));
}

TEST(TrustedProxies, PrefixesThatAreNotWholeBytes) {
  const auto proxies = TrustedProxies::parse({"192.0.2.64/26"});
  EXPECT_TRUE(proxies.contains(ip::make_address("192.0.2.64")));
  EXPECT_TRUE(proxies.contains(ip::make_address("192.0.2.127")));
  EXPECT_FALSE(proxies.contains(ip::make_address("192.0.2.128")));
  EXPECT_FALSE(proxies.contains(ip::make_address("192.0.2.63")));
  EXPECT_TRUE(TrustedProxies::parse({"0.0.0.0/0"}).contains(ip::make_address("203.0.113.1")));
}

TEST(TrustedProxies, HostBitsInTheNetworkAreIgnored) {
  EXPECT_TRUE(TrustedProxies::parse({"10.1.2.3/8"}).contains(ip::make_address("10.200.0.1")));
}

TEST(TrustedProxies, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "haproxy.local", "10.0.0.0/8,",
                          "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/ 8"}) {
    EXPECT_THROW((void)TrustedProxies::parse({bad}), std::invalid_argument) << bad;
  }
  try {
    (void)TrustedProxies::parse({"127.0.0.1/32,nonsense"});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "'nonsense' is not an IPv4 or IPv6 network (ADDRESS or ADDRESS/PREFIX)");
  }
}

}  // namespace
}  // namespace edgehub::net
