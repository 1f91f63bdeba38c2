#pragma once
// What a TLS handshake established about the client's certificate, for the
// hub's certificate login (docs/SECURITY.md#device-certificates). A plain
// struct, so hub code sees it without OpenSSL's headers.
#include <algorithm>
#include <string>
#include <vector>

namespace edgehub::tls {

struct PeerCertificate {
  bool verified = false;       // chains to --client-ca, in its validity, usable by a TLS client
  std::string verify_error{};  // OpenSSL's reason when not verified
  std::string common_name{};
  std::vector<std::string> dns_names{};  // subjectAltName DNS entries
  std::string serial{};                  // upper-case hex, as `edgehubd ca list` shows it
  std::string fingerprint{};             // "SHA256:..." of the leaf

  // True if the certificate names account `name`: its CN or a DNS SAN.
  bool names(const std::string& name) const {
    return common_name == name || std::find(dns_names.begin(), dns_names.end(), name) != dns_names.end();
  }
};

}  // namespace edgehub::tls
