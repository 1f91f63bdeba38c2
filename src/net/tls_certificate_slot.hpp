#pragma once
// The certificate the server's TLS handshakes present, replaceable while
// the server runs (SIGHUP, docs/OPERATIONS.md#reloading-sighup): renewing a
// certificate (certbot, a fleet CA) needs no restart and drops no device.
//
// The SSL context shared by every connection is never changed once
// serving (OpenSSL does not allow that while other threads use it).
// Instead each handshake asks this slot, through the context's certificate
// callback, for the chain and key to present: the one loaded last, or the
// context's own until a replacement was loaded. Connections already up keep
// what they negotiated.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "net/tls_context.hpp"

namespace edgehub::net {

class CertificateSlot {
 public:
  // Hooks the slot into CONTEXT's handshakes. The slot must outlive every
  // handshake of the context: keep the shared_ptr beside the context.
  static std::shared_ptr<CertificateSlot> install(boost::asio::ssl::context& context);

  // Loads FILES, checked as at start-up, and returns the new leaf's
  // fingerprint ("SHA256:..."); later handshakes present it. Throws
  // std::runtime_error naming what is wrong, and then keeps what it had.
  std::string replace(const TlsFiles& files);

 private:
  CertificateSlot() = default;
  static int choose(SSL* ssl, void* slot);  // the context's certificate callback
  std::shared_ptr<boost::asio::ssl::context> current() const;

  mutable std::mutex mutex_;
  // A context that holds the replacement chain and key (null: the serving
  // context's own); only its certificate, chain and key are used.
  std::shared_ptr<boost::asio::ssl::context> loaded_;
};

}  // namespace edgehub::net
