#pragma once
// Certificate revocation lists for an external --client-ca (--client-crl,
// docs/SECURITY.md#device-certificates): the operator's own CA revokes with
// `openssl ca -gencrl`, and the hub refuses those certificates at every
// login, beside the `edgehubd ca revoke` list.
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "tls/peer_certificate.hpp"  // revocation_key
#include "tls/x509.hpp"

namespace edgehub::tls {

// The issuer of cert, one-line RFC 2253 ("CN=Fleet CA,O=Example").
std::string issuer_name(X509* cert);

// Every CRL in the PEM text, each issued by one of cas and signed with its
// key; the revoked certificates as revocation_key()s. Throws
// std::runtime_error naming `what` when the text holds no CRL, a broken
// one, or one no CA in cas signed.
std::unordered_set<std::string> read_crl_revocations_text(std::string_view text, const std::string& what,
                                                          const std::vector<CertPtr>& cas);
std::unordered_set<std::string> read_crl_revocations(const std::filesystem::path& file,
                                                     const std::vector<CertPtr>& cas);

}  // namespace edgehub::tls
