#include "client/core/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ip/address.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "client/core/known_hosts.hpp"
#include "tls/x509.hpp"

namespace edgehub::client {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

constexpr std::size_t kReadAhead = 256 * 1024;

KnownHosts read_known_hosts(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return {};  // none yet
  std::ostringstream text;
  text << in.rdbuf();
  auto hosts = parse_known_hosts(text.str());
  if (hosts.error)
    throw std::runtime_error(
        fmt::format("{}: {}; fix or delete that line (docs/SECURITY.md#tls)", file.string(), *hosts.error));
  return hosts;
}

// The host name (or IP address) the certificate must name, and SNI.
void expect_host(SSL* ssl, const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  if (ec) {
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  }
}

// The system's trust store as its hashed directory, looked up by issuer
// while a chain is checked, rather than OpenSSL's default paths, which also
// parse the whole bundle file (/etc/ssl/certs/ca-certificates.crt: about
// 140 certificates, 30 ms here) at every client start, for a server that
// is usually pinned. SSL_CERT_DIR and SSL_CERT_FILE are honoured as
// OpenSSL honours them (where SSL_CERT_FILE is set, the bundle is parsed,
// which is why the store is loaded only for a server whose pin does not
// match). Without a store, only pinning accepts a server.
void use_system_trust_store(SSL_CTX* context) {
  const char* dir = std::getenv(X509_get_default_cert_dir_env());
  SSL_CTX_load_verify_dir(context, dir != nullptr ? dir : X509_get_default_cert_dir());
  if (const char* file = std::getenv(X509_get_default_cert_file_env())) SSL_CTX_load_verify_file(context, file);
  ERR_clear_error();  // a missing directory or file is not an error here
}

}  // namespace

TlsClient::TlsClient(TlsClientOptions options) : options_(std::move(options)), context_(ssl::context::tls_client) {
  if (options_.plain) return;  // open() never uses the context
  SSL_CTX_set_min_proto_version(context_.native_handle(), TLS1_3_VERSION);
  // ServerLink's writes resume wherever their buffer is (link_stream.hpp).
  SSL_CTX_set_mode(context_.native_handle(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // AES-128-GCM first: TLS 1.3's mandatory suite, a fifth faster than
  // AES-256-GCM here (openssl speed: 4.1 against 3.4 GB/s), on both sides.
  SSL_CTX_set_ciphersuites(context_.native_handle(),
                           "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");
  // Many records per recv(2), not a header and a body each: a download's
  // 1 MiB blocks cost 16 records (docs/BENCHMARKS.md#tls).
  SSL_CTX_set_read_ahead(context_.native_handle(), 1);
  SSL_CTX_set_default_read_buffer_len(context_.native_handle(), kReadAhead);
  // The handshake always completes, checked against no trust store yet;
  // verify() then decides, so that a self-signed server can still be
  // pinned, and loads the store only when the pin does not settle it.
  context_.set_verify_mode(ssl::verify_none);
  // Checked already (client/core/device_certificate.hpp); OpenSSL reads them again.
  if (options_.cert &&
      (SSL_CTX_use_certificate_chain_file(context_.native_handle(), options_.cert->c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(context_.native_handle(), options_.key->c_str(), SSL_FILETYPE_PEM) != 1))
    throw std::runtime_error("cannot use the device certificate " + *options_.cert + " with the key " + *options_.key);
}

std::unique_ptr<LinkStream> TlsClient::open(asio::ip::tcp::socket socket, const std::string& host, std::uint16_t port) {
  if (options_.plain) return std::make_unique<LinkStream>(std::move(socket), nullptr);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context_.native_handle()), SSL_free);
  if (!ssl || SSL_set_fd(ssl.get(), socket.native_handle()) != 1) throw std::runtime_error("cannot set up TLS");
  expect_host(ssl.get(), host);
  // Blocking, on the calling thread (the socket is still blocking).
  ERR_clear_error();
  if (SSL_connect(ssl.get()) != 1) {
    const unsigned long code = ERR_get_error();
    const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    throw HandshakeFailed(fmt::format("TLS handshake with {}:{} failed: {} (a server without TLS? try --plain)", host,
                                      port, reason != nullptr ? reason : "connection closed"));
  }
  verify(ssl.get(), host, port);
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);  // from now on SSL calls say "would block" instead
  return std::make_unique<LinkStream>(std::move(socket), ssl.release());
}

void TlsClient::verify(SSL* ssl, const std::string& host, std::uint16_t port) {
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf == nullptr) throw std::runtime_error("the server sent no TLS certificate");
  const std::string fingerprint = tls::fingerprint(leaf);
  if (options_.insecure) {
    if (!std::exchange(warned_insecure_, true))
      std::fprintf(stderr,
                   "edgehub: WARNING: --insecure: the server's certificate (%s) is NOT checked; anyone on the path "
                   "can read and change this session. For tests only.\n",
                   fingerprint.c_str());
    return;
  }
  if (options_.fingerprint) {
    if (fingerprint == *options_.fingerprint) return;
    throw std::runtime_error(
        fmt::format("the server {}:{} offered certificate {}, not the {} given with --fingerprint; refusing to connect",
                    host, port, fingerprint, *options_.fingerprint));
  }
  // The pin first: a matching one accepts the server without the trust
  // store; a chain the system trusts for this host name is accepted whatever
  // is pinned (a CA-signed server's renewed certificate); otherwise the pin
  // decides: none yet pins this one, another refuses it.
  const auto file = known_hosts_path();
  const auto hosts = read_known_hosts(file);
  const std::string key = host_port_key(host, port);
  const KnownHost* known = hosts.find(key);
  if (known != nullptr && known->fingerprint == fingerprint) return;
  if (chain_trusted(ssl)) return;
  if (known == nullptr) return pin(file, key, fingerprint);
  throw std::runtime_error(
      fmt::format("WARNING: the TLS certificate of {} has CHANGED.\n"
                  "  pinned:  {} ({} line {})\n"
                  "  offered: {}\n"
                  "Someone may be intercepting the connection, or the server has a new certificate.\n"
                  "If the change is expected, edit or delete line {} of {} and connect again. Refusing to connect.",
                  key, known->fingerprint, file.string(), known->line, fingerprint, known->line, file.string()));
}

// What SSL_connect's own verification would have said had the store been
// loaded: the peer's chain against the system's trust store, for a TLS
// server, with the host name or address expect_host() set.
bool TlsClient::chain_trusted(SSL* ssl) {
  SSL_CTX* context = context_.native_handle();
  if (!std::exchange(trust_store_loaded_, true)) use_system_trust_store(context);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> check(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  const bool trusted = check &&
                       X509_STORE_CTX_init(check.get(), SSL_CTX_get_cert_store(context), SSL_get0_peer_certificate(ssl),
                                           SSL_get_peer_cert_chain(ssl)) == 1 &&
                       X509_STORE_CTX_set_default(check.get(), "ssl_server") == 1 &&
                       X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(check.get()), SSL_get0_param(ssl)) == 1 &&
                       X509_verify_cert(check.get()) == 1;
  ERR_clear_error();
  return trusted;
}

void TlsClient::pin(const std::filesystem::path& file, const std::string& key, const std::string& fingerprint) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  bool needs_newline = false;
  if (std::ifstream in(file, std::ios::binary | std::ios::ate); in && in.tellg() > 0) {
    in.seekg(-1, std::ios::end);
    needs_newline = in.get() != '\n';
  }
  std::ofstream out(file, std::ios::app);
  out << (needs_newline ? "\n" : "") << known_host_line(key, fingerprint);
  out.flush();
  if (!out)
    throw std::runtime_error(
        fmt::format("cannot write {} to pin {}: refusing to connect unpinned", file.string(), fingerprint));
  std::fprintf(stderr, "edgehub: first connection to %s: pinned its certificate %s in %s\n", key.c_str(),
               fingerprint.c_str(), file.c_str());
}

}  // namespace edgehub::client
