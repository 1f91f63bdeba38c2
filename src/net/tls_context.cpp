#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::net {
namespace ssl = boost::asio::ssl;
namespace {

std::string openssl_reason(unsigned long code) {
  ERR_clear_error();
  if (code == 0) return "not usable";
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "not usable";
}

void check_readable(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(fmt::format("cannot read the TLS {} {}: {}", what, path.string(), error_text(errno)));
}

void load_files(SSL_CTX* ctx, const TlsFiles& files) {
  check_readable(files.certificate_chain, "certificate");
  check_readable(files.private_key, "key");
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(ctx, files.certificate_chain.c_str()) != 1)
    throw std::runtime_error(fmt::format("cannot use the TLS certificate {}: {} (a PEM certificate chain is expected)",
                                         files.certificate_chain.string(), openssl_reason(ERR_peek_last_error())));
  const bool key_used = SSL_CTX_use_PrivateKey_file(ctx, files.private_key.c_str(), SSL_FILETYPE_PEM) == 1;
  const unsigned long code = ERR_peek_last_error();
  const bool mismatch = ERR_GET_LIB(code) == ERR_LIB_X509 && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH;
  if (!key_used && !mismatch)
    throw std::runtime_error(fmt::format("cannot use the TLS key {}: {} (a PEM private key is expected)",
                                         files.private_key.string(), openssl_reason(code)));
  if (mismatch || SSL_CTX_check_private_key(ctx) != 1)
    throw std::runtime_error(fmt::format("the TLS key {} does not belong to the certificate {}",
                                         files.private_key.string(), files.certificate_chain.string()));
}

}  // namespace

std::shared_ptr<ssl::context> make_server_tls_context(const TlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  // Idle connections give their record buffers back (docs/BENCHMARKS.md#tls);
  // the writers resume partial writes from wherever their buffer now is.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // Devices reconnect with resume tokens, not TLS sessions: no tickets to
  // send, no session cache to hold.
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  load_files(ctx, files);
  // Client certificates (mutual TLS, --client-ca) are requested here,
  // once the context holds the server's own chain.
  return context;
}

}  // namespace edgehub::net
