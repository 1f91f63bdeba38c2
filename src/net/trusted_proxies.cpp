#include "net/trusted_proxies.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace edgehub::net {
namespace {

void clear_host_bits(Cidr& cidr) {
  const unsigned bits = cidr.ipv6 ? 128 : 32;
  for (unsigned bit = cidr.prefix; bit < bits; ++bit)
    cidr.network[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
}

bool prefix_matches(const Cidr& cidr, const std::uint8_t* address) {
  const unsigned whole = cidr.prefix / 8;
  if (!std::equal(address, address + whole, cidr.network.begin())) return false;
  const unsigned rest = cidr.prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - rest));
  return (address[whole] & mask) == cidr.network[whole];
}

}  // namespace

std::optional<Cidr> parse_cidr(std::string_view text, std::string& problem) {
  problem = "'" + std::string(text) + "' is not an IPv4 or IPv6 network (ADDRESS or ADDRESS/PREFIX)";
  const std::size_t slash = text.find('/');
  const std::string address(text.substr(0, slash));
  Cidr cidr;
  if (inet_pton(AF_INET, address.c_str(), cidr.network.data()) == 1) {
    cidr.ipv6 = false;
  } else if (inet_pton(AF_INET6, address.c_str(), cidr.network.data()) == 1) {
    cidr.ipv6 = true;
  } else {
    return std::nullopt;
  }
  const unsigned bits = cidr.ipv6 ? 128 : 32;
  cidr.prefix = bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cidr.prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || cidr.prefix > bits)
      return std::nullopt;
  }
  clear_host_bits(cidr);
  problem.clear();
  return cidr;
}

TrustedProxies TrustedProxies::parse(const std::vector<std::string>& values) {
  std::vector<Cidr> networks;
  for (const auto& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      std::string problem;
      auto cidr = parse_cidr(std::string_view(value).substr(start, comma - start), problem);
      if (!cidr) throw std::invalid_argument(problem);
      networks.push_back(*cidr);
      start = comma + 1;
    }
  }
  return TrustedProxies(std::move(networks));
}

bool TrustedProxies::contains(const boost::asio::ip::address& address) const {
  boost::asio::ip::address plain = address;
  if (plain.is_v6() && plain.to_v6().is_v4_mapped())
    plain = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, plain.to_v6());
  if (plain.is_v4()) {
    const auto bytes = plain.to_v4().to_bytes();
    return std::any_of(networks_.begin(), networks_.end(),
                       [&](const Cidr& c) { return !c.ipv6 && prefix_matches(c, bytes.data()); });
  }
  const auto bytes = plain.to_v6().to_bytes();
  return std::any_of(networks_.begin(), networks_.end(),
                     [&](const Cidr& c) { return c.ipv6 && prefix_matches(c, bytes.data()); });
}

}  // namespace edgehub::net
