#pragma once
// Validators of edgehubd's address options (CLI11 checks: an empty string
// means valid, anything else is the refusal shown to the user).
#include <string>

namespace edgehub::app {

// --bind, --http-bind: a numeric IPv4 or IPv6 address; anything else would
// only fail later, inside the listener, with an unhelpful "Invalid argument".
std::string check_ip_address(const std::string& text);
// --proxy-protocol: one network or several, comma-separated.
std::string check_cidr_list(const std::string& text);

}  // namespace edgehub::app
