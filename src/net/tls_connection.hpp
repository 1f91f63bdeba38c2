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
// so the handshake and every read and write stay non-blocking on the
// connection's network thread.
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "net/connection.hpp"
#include "tls/peer_certificate.hpp"

namespace edgehub::net {

class TlsConnection final : public Connection {
 public:
  TlsConnection(asio::ip::tcp::socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip,
                std::shared_ptr<asio::ssl::context> context, std::chrono::milliseconds handshake_deadline);
  ~TlsConnection() override;

  // The handshake, then Connection::start (the greeting goes out over TLS).
  void start() override;
  // What the handshake received (docs/SECURITY.md#device-certificates).
  const tls::PeerCertificate* client_certificate() const override {
    return client_certificate_ ? &*client_certificate_ : nullptr;
  }

 private:
  struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
  };
  void handshake_step();
  void handshake_failed(const std::string& why);
  void handshake_over();    // gives back the place taken in AbuseLimits, once
  void refuse_handshake();  // over --max-tls-handshakes or --tls-handshake-rate

  std::size_t read_bytes(char* data, std::size_t size, boost::system::error_code& ec) override;
  void write_frames(std::size_t count) override;
  void continue_writing();
  void finish_writing(const boost::system::error_code& ec);
  asio::awaitable<boost::system::error_code> stream_region(FileSend& job) override;  // tls_connection_file.cpp
  asio::awaitable<boost::system::error_code> write_all(const char* data, std::size_t size);
  void close_transport() override;
  // Maps an OpenSSL result to would_block (setting wait_for_), eof or an error.
  boost::system::error_code ssl_error(int result);

  std::shared_ptr<asio::ssl::context> context_;  // outlives ssl_
  std::unique_ptr<SSL, SslFree> ssl_;
  std::unique_ptr<asio::steady_timer> handshake_deadline_;  // only during the handshake
  std::chrono::milliseconds deadline_;
  std::string batch_;  // the frames being written, only while writing
  std::size_t batch_sent_ = 0;
  bool write_pending_ = false;      // an SSL_write to repeat: no close_notify until it is done
  bool handshake_counted_ = false;  // a place in AbuseLimits' handshakes in progress
  // Set once, on this connection's thread, before the first line is read.
  std::optional<tls::PeerCertificate> client_certificate_;
};

}  // namespace edgehub::net
