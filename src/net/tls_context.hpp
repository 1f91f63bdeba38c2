#pragma once
// The server's TLS settings (docs/SECURITY.md#tls): one SSL context, built
// at start-up and shared by every TLS connection. TLS 1.3 only; buffers
// released while a connection is idle.
#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>

namespace edgehub::net {

struct TlsFiles {
  std::filesystem::path certificate_chain;  // PEM: the server's certificate, then any intermediates
  std::filesystem::path private_key;        // PEM
};

// Throws std::runtime_error naming the file and what is wrong with it
// (unreadable, not PEM, key and certificate that do not belong together).
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const TlsFiles& files);

}  // namespace edgehub::net
