#pragma once
// What a TLS handshake established about the client's certificate, for the
// hub's certificate login (docs/SECURITY.md#device-certificates). A plain
// struct, so hub code sees it without OpenSSL's headers.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::tls {

struct PeerCertificate {
  bool verified = false;       // chains to --client-ca, in its validity, usable by a TLS client
  std::string verify_error{};  // OpenSSL's reason when not verified
  std::string common_name{};
  std::vector<std::string> dns_names{};  // subjectAltName DNS entries
  std::string serial{};                  // upper-case hex, as `edgehubd ca list` shows it
  std::string issuer{};                  // one-line RFC 2253, for --client-crl (tls/crl.hpp)
  std::string fingerprint{};             // "SHA256:..." of the leaf

  // True if the certificate names account `name`: its CN or a DNS SAN.
  bool names(const std::string& name) const {
    return common_name == name || std::find(dns_names.begin(), dns_names.end(), name) != dns_names.end();
  }
};

// How a revoked certificate is named in a --client-crl list (tls/crl.hpp):
// its issuer and serial, so a serial revoked by one CA never refuses
// another CA's certificate.
inline std::string revocation_key(std::string_view issuer, std::string_view serial) {
  return std::string(issuer) + "\n" + std::string(serial);
}

}  // namespace edgehub::tls
