#include "app/address_checks.hpp"

#include <arpa/inet.h>

#include <stdexcept>

#include "net/trusted_proxies.hpp"

namespace edgehub::app {

std::string check_ip_address(const std::string& text) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1) return {};
  return "'" + text + "' is not an IPv4 or IPv6 address";
}

std::string check_cidr_list(const std::string& text) {
  try {
    (void)net::TrustedProxies::parse({text});
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

}  // namespace edgehub::app
