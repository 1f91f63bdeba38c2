// Host on the plaintext listener (docs/SECURITY.md#http-listener).
#include "web/server/host_check.hpp"

#include <boost/asio/ip/address.hpp>
#include <optional>

#include "common/strings.hpp"
#include "net/first_byte.hpp"

namespace edgehub::web {
namespace {

// The host without its port; nullopt if the header is malformed.
std::optional<std::string_view> host_part(std::string_view host) {
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return std::nullopt;
    return host.substr(1, close - 1);
  }
  const auto colon = host.find(':');
  if (colon != std::string_view::npos && host.find(':', colon + 1) != std::string_view::npos)
    return std::nullopt;  // a bare IPv6 address must be in brackets
  return host.substr(0, colon);
}

}  // namespace

bool is_allowed_plain_host(std::string_view host, std::string_view bind_address) {
  const auto name = host_part(host);
  if (!name || name->empty()) return false;
  if (iequals(*name, "localhost") || iequals(*name, "localhost.")) return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(*name), ec);
  if (ec) return false;  // any other name could be rebound by its DNS
  if (net::is_loopback(address)) return true;
  const auto bound = boost::asio::ip::make_address(std::string(bind_address), ec);
  return !ec && !bound.is_unspecified() && bound == address;
}

}  // namespace edgehub::web
