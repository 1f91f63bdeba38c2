#include "app/server_certificate.hpp"

#include <openssl/ssl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <array>
#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

#include "hub/core/hub_config.hpp"
#include "tls/x509.hpp"

namespace edgehub::app {
namespace {

constexpr int kSelfSignedDays = 3650;  // pinned by fingerprint: its dates matter little

std::string host_name() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return {};
  return name.data();
}

// The key first: a crash between the two writes leaves no certificate,
// and the next start makes both again.
void create_self_signed(const net::TlsFiles& files) {
  std::filesystem::create_directories(files.certificate_chain.parent_path());
  auto key = tls::generate_p256_key();
  tls::CertSpec spec;
  spec.common_name = "edgehubd";
  spec.dns_names = {"localhost"};
  if (const auto host = host_name(); !host.empty() && host != "localhost") spec.dns_names.push_back(host);
  spec.ip_addresses = {"127.0.0.1", "::1"};
  spec.days = kSelfSignedDays;
  const auto cert = tls::make_certificate(spec, key.get(), nullptr, key.get());
  tls::write_key_pem(files.private_key, key.get());
  tls::write_cert_pem(files.certificate_chain, cert.get());
}

}  // namespace

net::TlsFiles default_tls_files(const std::filesystem::path& data_dir) {
  return {data_dir / "tls" / "server.crt", data_dir / "tls" / "server.key"};
}

ServingCertificate serving_certificate(const std::optional<net::TlsFiles>& given,
                                       const std::filesystem::path& data_dir) {
  ServingCertificate serving;
  const net::TlsFiles files = given.value_or(default_tls_files(data_dir));
  if (!given && !std::filesystem::exists(files.certificate_chain)) {
    create_self_signed(files);
    serving.created = true;
  }
  serving.context = net::make_server_tls_context(files);
  serving.slot = net::CertificateSlot::install(*serving.context);
  serving.files = files;
  serving.fingerprint = tls::fingerprint(SSL_CTX_get0_certificate(serving.context->native_handle()));
  return serving;
}

int run_fingerprint_command(int argc, char** argv) {
  CLI::App app{
      "Prints the SHA-256 fingerprint of the server's TLS certificate, as clients pin it\n"
      "(edgehub --fingerprint, ~/.config/edgehub/known_hosts).",
      "edgehubd fingerprint"};
  std::filesystem::path data_dir = hub::HubConfig{}.data_dir;
  std::filesystem::path cert;
  app.add_option("--data-dir", data_dir, "the server's data directory")->capture_default_str();
  app.add_option("--cert", cert, "a certificate file (PEM) instead of the data directory's own");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "edgehubd fingerprint: %s\nRun 'edgehubd fingerprint --help' for usage.\n", e.what());
    return 2;
  }
  const auto path = cert.empty() ? default_tls_files(data_dir).certificate_chain : cert;
  if (cert.empty() && !std::filesystem::exists(path)) {
    std::fprintf(stderr, "edgehubd: no TLS certificate in %s yet: edgehubd creates it on its first start\n",
                 data_dir.c_str());
    return 1;
  }
  try {
    const auto chain = tls::read_cert_chain_pem(path);
    std::printf("%s\n", tls::fingerprint(chain.front().get()).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "edgehubd: %s\n", e.what());
    return 1;
  }
}

}  // namespace edgehub::app
