#include "client/core/device_certificate.hpp"

#include <openssl/x509.h>

#include <stdexcept>

#include "tls/x509.hpp"

namespace edgehub::client {

void add_certificate_options(CLI::App& app, ClientOptions& options) {
  auto* cert = app.add_option("--cert", options.cert,
                              "log in with this device certificate (PEM) instead of a password; the name is --user "
                              "or the certificate's CN");
  auto* key = app.add_option("--key", options.key, "the private key (PEM) of --cert");
  cert->needs(key);
  key->needs(cert);
  if (auto* plain = app.get_option_no_throw("--plain")) cert->excludes(plain);
}

std::optional<std::string> check_device_certificate(ClientOptions& options) {
  if (!options.cert) return std::nullopt;
  try {
    const auto chain = tls::read_cert_chain_pem(*options.cert);
    const auto key = tls::read_key_pem(*options.key);
    if (X509_check_private_key(chain.front().get(), key.get()) != 1)
      return "the key " + *options.key + " does not belong to the certificate " + *options.cert;
    options.cert_name = tls::common_name(chain.front().get());
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  if (options.cert_name.empty() && !options.user)
    return *options.cert + " has no CN: give the account name with --user";
  return std::nullopt;
}

}  // namespace edgehub::client
