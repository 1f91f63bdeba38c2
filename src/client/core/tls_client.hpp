#pragma once
// The client's side of TLS (docs/SECURITY.md#tls): TLS 1.3 to every server,
// loopback included, unless --plain. A server is accepted when its chain
// verifies against the system's trust store for the host name, or when its
// certificate's fingerprint is the one pinned for it: given with
// --fingerprint, or recorded in known_hosts on the first connection.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "client/core/link_stream.hpp"

namespace edgehub::client {

struct TlsClientOptions {
  bool plain = false;                      // --plain
  bool insecure = false;                   // --insecure: no verification at all (tests)
  std::optional<std::string> fingerprint;  // --fingerprint SHA256:...
  // --cert/--key: presented to the server (docs/SECURITY.md#device-certificates).
  std::optional<std::string> cert, key;
};

// The handshake itself failed (not the verification): worth one more try
// on loopback, where a ClientHello late by more than the server's wait for
// it meets the plaintext greeting instead (docs/SECURITY.md#tls).
class HandshakeFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TlsClient {
 public:
  explicit TlsClient(TlsClientOptions options);

  bool plain() const { return options_.plain; }
  // Blocking, on the calling thread: the handshake on a connected socket,
  // then the verification. Throws HandshakeFailed, or std::runtime_error
  // saying why the server is refused (a changed certificate names both
  // fingerprints and the line of known_hosts to edit).
  std::unique_ptr<LinkStream> open(boost::asio::ip::tcp::socket socket, const std::string& host, std::uint16_t port);

 private:
  void verify(SSL* ssl, const std::string& host, std::uint16_t port);
  bool chain_trusted(SSL* ssl);
  void pin(const std::filesystem::path& file, const std::string& key, const std::string& fingerprint);

  TlsClientOptions options_;
  boost::asio::ssl::context context_;
  bool warned_insecure_ = false;
  bool trust_store_loaded_ = false;  // by the first server whose pin did not settle it
};

}  // namespace edgehub::client
