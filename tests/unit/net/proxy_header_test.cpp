// The PROXY protocol decoder (src/net/proxy_header.hpp): versions 1 and 2
// as HAProxy sends them, and the refusals.
#include "net/proxy_header.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgehub::net {
namespace {

using Status = ProxyHeader::Status;
using Bytes = std::vector<std::uint8_t>;

const Bytes kSignature{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

Bytes v2(std::uint8_t version_command, std::uint8_t family, const Bytes& body) {
  Bytes out = kSignature;
  out.push_back(version_command);
  out.push_back(family);
  out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(body.size() & 0xFF));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// 192.0.2.7:51234 -> 10.0.0.1:7475
const Bytes kInetBlock{192, 0, 2, 7, 10, 0, 0, 1, 0xC8, 0x22, 0x1D, 0x33};

Bytes inet6_block() {
  Bytes block(36, 0);
  block[0] = 0x20, block[1] = 0x01, block[2] = 0x0d, block[3] = 0xb8, block[15] = 7;  // 2001:db8::7
  block[16] = 0x20, block[17] = 0x01, block[18] = 0x0d, block[19] = 0xb8, block[31] = 1;
  block[32] = 0xC8, block[33] = 0x22, block[34] = 0x1D, block[35] = 0x33;
  return block;
}

TEST(ProxyHeader, Version2Tcp4NamesTheClientAndItsLength) {
  Bytes bytes = v2(0x21, 0x11, kInetBlock);
  bytes.push_back(0x16);  // the client's first byte (a TLS ClientHello) follows
  const auto h = decode_proxy_header(bytes);
  ASSERT_EQ(h.status, Status::complete) << h.error;
  EXPECT_EQ(h.length, 28u);
  ASSERT_TRUE(h.source);
  EXPECT_FALSE(h.source->ipv6);
  EXPECT_EQ(Bytes(h.source->address.begin(), h.source->address.begin() + 4), (Bytes{192, 0, 2, 7}));
  EXPECT_EQ(h.source->port, 51234);
}

TEST(ProxyHeader, Version2Tcp6) {
  const auto h = decode_proxy_header(v2(0x21, 0x21, inet6_block()));
  ASSERT_EQ(h.status, Status::complete) << h.error;
  EXPECT_EQ(h.length, 52u);
  ASSERT_TRUE(h.source);
  EXPECT_TRUE(h.source->ipv6);
  EXPECT_EQ(h.source->address[0], 0x20);
  EXPECT_EQ(h.source->address[15], 7);
}

TEST(ProxyHeader, Version2TlvsAfterTheAddressesAreSkipped) {
  Bytes body = kInetBlock;
  for (std::uint8_t b : Bytes{0x04, 0x00, 0x03, 'a', 'b', 'c'}) body.push_back(b);  // PP2_TYPE_NOOP
  const auto h = decode_proxy_header(v2(0x21, 0x11, body));
  ASSERT_EQ(h.status, Status::complete) << h.error;
  EXPECT_EQ(h.length, 16u + body.size());
  ASSERT_TRUE(h.source);
}

TEST(ProxyHeader, LocalCommandKeepsTheSocketsAddress) {
  for (const Bytes& body : {Bytes{}, kInetBlock}) {
    const auto h = decode_proxy_header(v2(0x20, body.empty() ? 0x00 : 0x11, body));
    ASSERT_EQ(h.status, Status::complete) << h.error;
    EXPECT_EQ(h.length, 16u + body.size());
    EXPECT_FALSE(h.source);
  }
}

TEST(ProxyHeader, UnspecAndUnixFamiliesKeepTheSocketsAddress) {
  EXPECT_FALSE(decode_proxy_header(v2(0x21, 0x00, {})).source);
  const auto unix_header = decode_proxy_header(v2(0x21, 0x31, Bytes(216, 0)));
  ASSERT_EQ(unix_header.status, Status::complete);
  EXPECT_FALSE(unix_header.source);
}

TEST(ProxyHeader, Version2PrefixesNeedMore) {
  const Bytes whole = v2(0x21, 0x11, kInetBlock);
  for (std::size_t n = 0; n < whole.size(); ++n)
    EXPECT_EQ(decode_proxy_header(std::span(whole).first(n)).status, Status::need_more) << n;
}

TEST(ProxyHeader, Version2Refusals) {
  auto error_of = [](const Bytes& b) {
    const auto h = decode_proxy_header(b);
    EXPECT_EQ(h.status, Status::invalid);
    return h.error;
  };
  EXPECT_EQ(error_of(v2(0x11, 0x11, kInetBlock)), "version 2 signature with a version other than 2");
  EXPECT_EQ(error_of(v2(0x22, 0x11, kInetBlock)), "version 2 command is neither LOCAL nor PROXY");
  EXPECT_EQ(error_of(v2(0x21, 0x12, kInetBlock)), "version 2 transport is not STREAM (TCP)");
  EXPECT_EQ(error_of(v2(0x21, 0x11, Bytes(kInetBlock.begin(), kInetBlock.begin() + 8))),
            "version 2 address block is too short");
  EXPECT_EQ(error_of(v2(0x21, 0x21, kInetBlock)), "version 2 address block is too short");
  EXPECT_EQ(error_of(v2(0x21, 0x41, kInetBlock)), "version 2 address family is unknown");
  Bytes bad_signature = v2(0x21, 0x11, kInetBlock);
  bad_signature[10] = 'Z';
  EXPECT_EQ(error_of(bad_signature), "the connection does not start with a PROXY protocol header");
}

TEST(ProxyHeader, Version1Tcp4AndTcp6) {
  const auto h4 = decode_proxy_header(text("PROXY TCP4 192.0.2.7 10.0.0.1 51234 7475\r\nlogin alice\n"));
  ASSERT_EQ(h4.status, Status::complete) << h4.error;
  EXPECT_EQ(h4.length, 42u);
  ASSERT_TRUE(h4.source);
  EXPECT_EQ(Bytes(h4.source->address.begin(), h4.source->address.begin() + 4), (Bytes{192, 0, 2, 7}));
  EXPECT_EQ(h4.source->port, 51234);
  const auto h6 = decode_proxy_header(text("PROXY TCP6 2001:db8::7 2001:db8::1 1 2\r\n"));
  ASSERT_EQ(h6.status, Status::complete) << h6.error;
  EXPECT_TRUE(h6.source->ipv6);
  EXPECT_EQ(h6.source->address[15], 7);
}

TEST(ProxyHeader, Version1UnknownKeepsTheSocketsAddress) {
  for (const char* line : {"PROXY UNKNOWN\r\n", "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"}) {
    const auto h = decode_proxy_header(text(line));
    ASSERT_EQ(h.status, Status::complete) << line;
    EXPECT_FALSE(h.source);
  }
}

TEST(ProxyHeader, Version1LongestLineFitsAndOneMoreIsRefused) {
  // The specification's own worst case.
  const std::string longest =
      "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
  ASSERT_EQ(longest.size(), kProxyV1MaxLength);
  EXPECT_EQ(decode_proxy_header(text(longest)).status, Status::complete);
  const auto h = decode_proxy_header(text("PROXY UNKNOWN " + std::string(100, 'x')));
  EXPECT_EQ(h.status, Status::invalid);
  EXPECT_EQ(h.error, "version 1 header longer than 107 bytes");
}

TEST(ProxyHeader, Version1Refusals) {
  for (const char* line : {
           "PROXY TCP4 192.0.2.7 10.0.0.1 51234 7475\n",      // no CR
           "PROXY TCP4 192.0.2.7\r 10.0.0.1 51234 7475\r\n",  // CR inside
           "PROXY TCP4 2001:db8::7 2001:db8::1 1 2\r\n",      // family mismatch
           "PROXY TCP4 192.0.2.7 10.0.0.1 65536 7475\r\n",    // port too large
           "PROXY TCP4 192.0.2.7 10.0.0.1 0080 7475\r\n",     // leading zero
           "PROXY TCP4  192.0.2.7 10.0.0.1 1 2\r\n",          // two spaces
           "PROXY UDP4 192.0.2.7 10.0.0.1 1 2\r\n",           // not TCP
           "PROXY TCP4 192.0.2.7 10.0.0.1 1\r\n",             // a word short
           "PROXX TCP4 192.0.2.7 10.0.0.1 1 2\r\n",           // not the keyword
       }) {
    const auto h = decode_proxy_header(text(line));
    EXPECT_EQ(h.status, Status::invalid) << line;
    EXPECT_FALSE(h.error.empty());
  }
}

TEST(ProxyHeader, Version1PrefixesNeedMore) {
  const Bytes whole = text("PROXY TCP4 192.0.2.7 10.0.0.1 51234 7475\r\n");
  for (std::size_t n = 0; n < whole.size(); ++n)
    EXPECT_EQ(decode_proxy_header(std::span(whole).first(n)).status, Status::need_more) << n;
}

TEST(ProxyHeader, AnythingElseIsNotAHeader) {
  for (const char* start : {"login alice secret\n", "\x16\x03\x01", "GET / HTTP/1.1\r\n"}) {
    const auto h = decode_proxy_header(text(start));
    EXPECT_EQ(h.status, Status::invalid) << start;
    EXPECT_EQ(h.error, "the connection does not start with a PROXY protocol header");
  }
}

TEST(ProxyHeader, SignatureNeedsItsWholeLength) {
  EXPECT_TRUE(starts_with_proxy_signature(text("PROXY TCP4")));
  EXPECT_TRUE(starts_with_proxy_signature(kSignature));
  EXPECT_FALSE(starts_with_proxy_signature(text("PROXY")));
  EXPECT_FALSE(starts_with_proxy_signature(std::span(kSignature).first(11)));
  EXPECT_FALSE(starts_with_proxy_signature(text("login alice")));
}

}  // namespace
}  // namespace edgehub::net
