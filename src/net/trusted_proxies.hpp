#pragma once
// --proxy-protocol FROM_CIDR: the addresses allowed to open a connection
// with a PROXY protocol header and so to speak for another address
// (docs/SECURITY.md#trusted-proxies). Everyone else keeps the socket's
// address, and a header from them is refused.
#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::net {

// One IPv4 or IPv6 network, "10.0.0.0/8", "fd00::/8"; a bare address is
// a /32 or /128.
struct Cidr {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> network{};  // host bits cleared
  unsigned prefix = 0;
};

// The network, or why not: "'10.0.0.0/33' is not an IPv4 or IPv6 network
// (ADDRESS/PREFIX)".
std::optional<Cidr> parse_cidr(std::string_view text, std::string& problem);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<Cidr> networks) : networks_(std::move(networks)) {}
  // Accepts the option's values: each one or several separated by commas.
  // Throws std::invalid_argument with the problem.
  static TrustedProxies parse(const std::vector<std::string>& values);

  bool empty() const { return networks_.empty(); }
  // An IPv4-mapped IPv6 address (a dual-stack listener's IPv4 peer) is
  // matched as the IPv4 address it is.
  bool contains(const boost::asio::ip::address& address) const;

 private:
  std::vector<Cidr> networks_;
};

}  // namespace edgehub::net
