#include "tls/client_certificates.hpp"

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "tls/crl.hpp"
#include "tls/openssl_error.hpp"

namespace edgehub::tls {
namespace {

// Accepts every certificate during the handshake; SSL_get_verify_result
// keeps OpenSSL's verdict for the login to act on (see the header).
int accept_and_remember(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }

}  // namespace

std::vector<CertPtr> load_client_cas(const std::filesystem::path& file) {
  auto cas = read_cert_chain_pem(file);
  for (const auto& ca : cas) {
    if (X509_check_ca(ca.get()) == 0)
      throw std::runtime_error(file.string() + ": '" + common_name(ca.get()) + "' is not a CA certificate");
  }
  return cas;
}

void request_client_certificates(SSL_CTX* ctx, const std::vector<CertPtr>& cas) {
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (const auto& ca : cas) {
    if (X509_STORE_add_cert(store, ca.get()) != 1 || SSL_CTX_add_client_CA(ctx, ca.get()) != 1)
      detail::throw_openssl("client CA '" + common_name(ca.get()) + "'");
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_and_remember);
  SSL_CTX_set_verify_depth(ctx, 4);
}

std::optional<PeerCertificate> describe_peer_certificate(const SSL* ssl) {
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf == nullptr) return std::nullopt;
  PeerCertificate cert;
  const long result = SSL_get_verify_result(ssl);
  cert.verified = result == X509_V_OK;
  if (!cert.verified) cert.verify_error = X509_verify_cert_error_string(result);
  cert.common_name = common_name(leaf);
  cert.dns_names = dns_names(leaf);
  cert.serial = serial_hex(leaf);
  cert.issuer = issuer_name(leaf);
  cert.fingerprint = fingerprint(leaf);
  return cert;
}

}  // namespace edgehub::tls
