#pragma once
// A client connection over TLS 1.3 (docs/SECURITY.md#tls): the same
// hub::Peer as Connection, whose queues, letters and file pump it shares;
// only the bytes go through OpenSSL.
//
// OpenSSL works on the socket itself (SSL_set_fd), not through
// asio::ssl::stream: that stream keeps two 17 KiB buffers and a 2 x 17 KiB
// BIO pair for every connection, idle or not, where an idle SSL with
// SSL_MODE_RELEASE_BUFFERS holds no record buffer at all
// (docs/BENCHMARKS.md#tls). Readiness still comes from Asio (async_wait),
// so every read and write stays non-blocking on the connection's network
// thread. The handshake is over before a TlsConnection is made: it runs on
// the handshake threads (net/tls_handshake.hpp), which hand over the SSL.
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <string>

#include "net/connection.hpp"
#include "net/tls_errors.hpp"
#include "tls/peer_certificate.hpp"

namespace edgehub::net {

class TlsConnection final : public Connection {
 public:
  // `ssl` has finished its handshake on this socket's descriptor;
  // `context` is the SSL_CTX it was made from.
  TlsConnection(Socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip,
                std::shared_ptr<asio::ssl::context> context, SslPtr ssl,
                std::optional<tls::PeerCertificate> client_certificate);

  // What the handshake received (docs/SECURITY.md#device-certificates).
  const tls::PeerCertificate* client_certificate() const override {
    return client_certificate_ ? &*client_certificate_ : nullptr;
  }

 private:
  std::size_t read_bytes(char* data, std::size_t size, boost::system::error_code& ec) override;
  void write_frames(std::size_t count) override;
  void continue_writing();
  void finish_writing(const boost::system::error_code& ec);
  asio::awaitable<boost::system::error_code> stream_region(FileSend& job) override;  // tls_connection_file.cpp
  asio::awaitable<boost::system::error_code> write_all(const char* data, std::size_t size);
  void close_transport() override;
  bool short_read_drains() const override { return false; }
  // tls_error, setting wait_for_.
  boost::system::error_code ssl_error(int result) { return tls_error(ssl_.get(), result, wait_for_, ip_); }

  std::shared_ptr<asio::ssl::context> context_;  // outlives ssl_
  SslPtr ssl_;
  std::string batch_;  // the frames being written, only while writing
  std::size_t batch_sent_ = 0;
  bool write_pending_ = false;  // an SSL_write to repeat: no close_notify until it is done
  const std::optional<tls::PeerCertificate> client_certificate_;
};

}  // namespace edgehub::net
