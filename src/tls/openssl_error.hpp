#pragma once
// OpenSSL's error queue turned into a message (and cleared), so a failure
// names its reason instead of "error:0". Internal to src/tls.
#include <openssl/err.h>

#include <stdexcept>
#include <string>

namespace edgehub::tls::detail {

inline std::string take_openssl_error() {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    if (reason.empty()) {
      const char* text = ERR_reason_error_string(code);
      reason = text != nullptr ? text : "unknown OpenSSL error";
    }
  }
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

[[noreturn]] inline void throw_openssl(const std::string& what) {
  throw std::runtime_error(what + ": " + take_openssl_error());
}

}  // namespace edgehub::tls::detail
