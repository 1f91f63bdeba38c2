// web/server/host_check.hpp: which Host headers reach the plaintext listener
// (docs/SECURITY.md#http-listener).
#include <gtest/gtest.h>

#include "web/server/host_check.hpp"

namespace edgehub::web {
namespace {

TEST(HostCheck, LoopbackNamesAndAddressesWithOrWithoutAPort) {
  for (const char* host : {"localhost", "LocalHost:7480", "localhost.", "127.0.0.1", "127.0.0.1:7480", "127.1.2.3:80",
                           "[::1]", "[::1]:7480"})
    EXPECT_TRUE(is_allowed_plain_host(host, "127.0.0.1")) << host;
}

TEST(HostCheck, TheBindAddressToo) {
  EXPECT_TRUE(is_allowed_plain_host("192.0.2.7:7480", "192.0.2.7"));
  EXPECT_FALSE(is_allowed_plain_host("192.0.2.8:7480", "192.0.2.7"));
  EXPECT_FALSE(is_allowed_plain_host("0.0.0.0:7480", "0.0.0.0")) << "not an address a browser reaches";
}

TEST(HostCheck, AnyOtherNameCouldBeRebound) {
  for (const char* host : {"", "evil.example", "evil.example:7480", "localhost.evil.example", "127.0.0.1.nip.io",
                           "[::1", "[::1]x", "::1", "127.0.0.1:80:80", "10.0.0.1"})
    EXPECT_FALSE(is_allowed_plain_host(host, "127.0.0.1")) << host;
}

}  // namespace
}  // namespace edgehub::web
