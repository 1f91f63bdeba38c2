#include "net/tls_certificate_slot.hpp"

#include <openssl/ssl.h>

#include "tls/x509.hpp"

namespace edgehub::net {
namespace ssl = boost::asio::ssl;

std::shared_ptr<CertificateSlot> CertificateSlot::install(ssl::context& context) {
  std::shared_ptr<CertificateSlot> slot(new CertificateSlot());
  SSL_CTX_set_cert_cb(context.native_handle(), &CertificateSlot::choose, slot.get());
  return slot;
}

std::string CertificateSlot::replace(const TlsFiles& files) {
  auto fresh = make_server_tls_context(files);  // throws, naming the file, before anything changes
  std::string fingerprint = tls::fingerprint(SSL_CTX_get0_certificate(fresh->native_handle()));
  std::lock_guard lock(mutex_);
  loaded_ = std::move(fresh);
  return fingerprint;
}

std::shared_ptr<ssl::context> CertificateSlot::current() const {
  std::lock_guard lock(mutex_);
  return loaded_;
}

// Runs in every server handshake, on the thread doing it. A failure here
// fails that handshake only (the client sees an alert).
int CertificateSlot::choose(SSL* ssl, void* arg) {
  const auto loaded = static_cast<CertificateSlot*>(arg)->current();
  if (!loaded) return 1;  // the context's own chain
  SSL_CTX* from = loaded->native_handle();
  STACK_OF(X509)* chain = nullptr;
  SSL_CTX_get0_chain_certs(from, &chain);
  const bool ok = SSL_use_certificate(ssl, SSL_CTX_get0_certificate(from)) == 1 &&
                  SSL_use_PrivateKey(ssl, SSL_CTX_get0_privatekey(from)) == 1 && SSL_set1_chain(ssl, chain) == 1;
  return ok ? 1 : 0;
}

}  // namespace edgehub::net
