#pragma once
// The server's TLS certificate (docs/SECURITY.md#tls): --cert/--key, or a
// self-signed ECDSA P-256 certificate that edgehubd creates in its data
// directory on the first start and keeps. `edgehubd fingerprint` prints the
// fingerprint clients pin.
#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "net/tls_certificate_slot.hpp"
#include "net/tls_context.hpp"

namespace edgehub::app {

// DATA_DIR/tls/server.crt and DATA_DIR/tls/server.key.
net::TlsFiles default_tls_files(const std::filesystem::path& data_dir);

struct ServingCertificate {
  std::shared_ptr<boost::asio::ssl::context> context;
  std::shared_ptr<net::CertificateSlot> slot;  // what SIGHUP replaces (net/tls_certificate_slot.hpp)
  net::TlsFiles files;                         // where it was read, and is read again
  std::string fingerprint;                     // of the leaf, "SHA256:..."
  bool created = false;                        // a new self-signed one
};

// Given files are used as they are; without them the data directory's own
// certificate is used, created first when it is missing. Throws
// std::runtime_error naming the file and what is wrong with it.
ServingCertificate serving_certificate(const std::optional<net::TlsFiles>& given,
                                       const std::filesystem::path& data_dir);

// `edgehubd fingerprint [--data-dir DIR] [--cert FILE]`: the exit status.
int run_fingerprint_command(int argc, char** argv);

}  // namespace edgehub::app
