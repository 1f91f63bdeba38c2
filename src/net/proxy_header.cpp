#include "net/proxy_header.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

namespace edgehub::net {
namespace {

using Status = ProxyHeader::Status;
using Bytes = std::span<const std::uint8_t>;

constexpr std::array<std::uint8_t, kProxySignatureLength> kV2Signature{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                                       0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::string_view kV1Prefix = "PROXY ";

ProxyHeader need_more() { return {}; }

ProxyHeader invalid(std::string why) {
  ProxyHeader h;
  h.status = Status::invalid;
  h.error = std::move(why);
  return h;
}

ProxyHeader complete(std::size_t length, std::optional<ProxySource> source) {
  ProxyHeader h;
  h.status = Status::complete;
  h.length = length;
  h.source = source;
  return h;
}

// Whether the first min(n, prefix) bytes agree with `prefix`.
template <class Prefix>
bool agrees_with(Bytes bytes, const Prefix& prefix) {
  const std::size_t n = std::min(bytes.size(), std::size(prefix));
  return std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n), std::begin(prefix),
                    [](std::uint8_t a, auto b) { return a == static_cast<std::uint8_t>(b); });
}

// ---- version 1: "PROXY TCP4 SRC DST SPORT DPORT\r\n" ----

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = line.find(' ', start);
    words.push_back(line.substr(start, space - start));
    if (space == std::string_view::npos) return words;
    start = space + 1;
  }
}

bool parse_port(std::string_view text, std::uint16_t& port) {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) return false;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

bool parse_address(std::string_view text, bool ipv6, std::array<std::uint8_t, 16>& out) {
  const std::string zero_terminated(text);
  return inet_pton(ipv6 ? AF_INET6 : AF_INET, zero_terminated.c_str(), out.data()) == 1;
}

ProxyHeader decode_v1_line(std::string_view line, std::size_t length) {
  const auto words = split_spaces(line);
  if (words.size() >= 2 && words[1] == "UNKNOWN") return complete(length, std::nullopt);  // the rest is ignored
  if (words.size() != 6) return invalid("version 1 wants 'PROXY TCP4|TCP6 SRC DST SPORT DPORT'");
  if (words[1] != "TCP4" && words[1] != "TCP6") return invalid("version 1 protocol must be TCP4, TCP6 or UNKNOWN");
  ProxySource source;
  source.ipv6 = words[1] == "TCP6";
  std::array<std::uint8_t, 16> destination{};
  std::uint16_t destination_port = 0;
  if (!parse_address(words[2], source.ipv6, source.address) || !parse_address(words[3], source.ipv6, destination))
    return invalid("version 1 address is not a " + std::string(words[1]) + " address");
  if (!parse_port(words[4], source.port) || !parse_port(words[5], destination_port))
    return invalid("version 1 port is not a number from 0 to 65535");
  return complete(length, source);
}

ProxyHeader decode_v1(Bytes bytes) {
  if (!agrees_with(bytes, kV1Prefix)) return invalid("the connection does not start with a PROXY protocol header");
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), std::min(bytes.size(), kProxyV1MaxLength));
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) {
    if (bytes.size() >= kProxyV1MaxLength) return invalid("version 1 header longer than 107 bytes");
    const std::size_t cr = text.find('\r');
    if (cr != std::string_view::npos && cr + 1 != text.size()) return invalid("version 1 header has a CR inside");
    return need_more();
  }
  if (newline == 0 || text[newline - 1] != '\r') return invalid("version 1 header must end with CRLF");
  const std::string_view line = text.substr(0, newline - 1);
  if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos)
    return invalid("version 1 header has a control character inside");
  return decode_v1_line(line, newline + 1);
}

// ---- version 2: 12-byte signature, version/command, family/transport, length ----

constexpr std::uint8_t kV2Version = 0x2;
constexpr std::uint8_t kCommandLocal = 0x0;
constexpr std::uint8_t kCommandProxy = 0x1;
constexpr std::uint8_t kFamilyUnspec = 0x0;
constexpr std::uint8_t kFamilyInet = 0x1;
constexpr std::uint8_t kFamilyInet6 = 0x2;
constexpr std::uint8_t kFamilyUnix = 0x3;
constexpr std::uint8_t kTransportStream = 0x1;
constexpr std::size_t kInetBlock = 12;   // 2 x 4 address bytes, 2 x 2 port bytes
constexpr std::size_t kInet6Block = 36;  // 2 x 16, 2 x 2
constexpr std::size_t kUnixBlock = 216;  // 2 x 108

std::uint16_t big_endian16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

// The PROXY command's address block, at the start of `body`.
ProxyHeader decode_v2_addresses(std::uint8_t family, std::uint8_t transport, Bytes body, std::size_t length) {
  if (family == kFamilyUnspec) return complete(length, std::nullopt);
  if (family == kFamilyUnix) {
    if (body.size() < kUnixBlock) return invalid("version 2 UNIX address block is too short");
    return complete(length, std::nullopt);
  }
  if (family != kFamilyInet && family != kFamilyInet6) return invalid("version 2 address family is unknown");
  if (transport != kTransportStream) return invalid("version 2 transport is not STREAM (TCP)");
  ProxySource source;
  source.ipv6 = family == kFamilyInet6;
  const std::size_t address_size = source.ipv6 ? 16 : 4;
  if (body.size() < (source.ipv6 ? kInet6Block : kInetBlock)) return invalid("version 2 address block is too short");
  std::copy_n(body.begin(), address_size, source.address.begin());
  source.port = big_endian16(body.data() + 2 * address_size);
  return complete(length, source);
}

ProxyHeader decode_v2(Bytes bytes) {
  if (!agrees_with(bytes, kV2Signature)) return invalid("the connection does not start with a PROXY protocol header");
  if (bytes.size() < kProxyV2FixedLength) return need_more();
  const std::uint8_t version = bytes[12] >> 4;
  const std::uint8_t command = bytes[12] & 0x0F;
  const std::uint8_t family = bytes[13] >> 4;
  const std::uint8_t transport = bytes[13] & 0x0F;
  if (version != kV2Version) return invalid("version 2 signature with a version other than 2");
  if (command != kCommandLocal && command != kCommandProxy)
    return invalid("version 2 command is neither LOCAL nor PROXY");
  const std::size_t length = kProxyV2FixedLength + big_endian16(bytes.data() + 14);
  if (bytes.size() < length) return need_more();
  // LOCAL: the proxy speaks for itself (a health check); the addresses, if
  // any, are to be ignored. TLVs after the addresses are ignored too.
  if (command == kCommandLocal) return complete(length, std::nullopt);
  return decode_v2_addresses(family, transport, bytes.subspan(kProxyV2FixedLength, length - kProxyV2FixedLength),
                             length);
}

}  // namespace

ProxyHeader decode_proxy_header(Bytes bytes) {
  if (bytes.empty()) return need_more();
  if (bytes[0] == kV2Signature[0]) return decode_v2(bytes);
  if (bytes[0] == static_cast<std::uint8_t>(kV1Prefix[0])) return decode_v1(bytes);
  return invalid("the connection does not start with a PROXY protocol header");
}

bool starts_with_proxy_signature(Bytes bytes) {
  return (bytes.size() >= kV1Prefix.size() && agrees_with(bytes, kV1Prefix)) ||
         (bytes.size() >= kV2Signature.size() && agrees_with(bytes, kV2Signature));
}

}  // namespace edgehub::net
