// Fuzz target for the PEM readers the project calls on files an operator or
// a peer supplies (src/tls/x509*.cpp, docs/SECURITY.md#device-certificates):
// --cert/--key, --client-ca, the device CA's files. The first byte picks
// certificate chain or private key. A chain that reads must describe itself
// (fingerprint, names, serial, expiry), write back to PEM that reads to the
// same fingerprint, and survive verification against itself; anything that
// does not read must fail with std::runtime_error only.
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tls/x509.hpp"

namespace {

using namespace edgehub::tls;

void require(bool ok) {
  if (!ok) std::abort();
}

void chain(std::string_view text) {
  std::vector<CertPtr> certs;
  try {
    certs = read_cert_chain_pem_text(text, "fuzz");
  } catch (const std::runtime_error&) {
    return;
  }
  require(!certs.empty());
  for (const auto& cert : certs) {
    const std::string print = fingerprint(cert.get());
    require(print.starts_with("SHA256:"));
    (void)common_name(cert.get());
    (void)dns_names(cert.get());
    (void)serial_hex(cert.get());
    (void)not_after(cert.get());
    (void)X509_check_ca(cert.get());
    const auto again = read_cert_chain_pem_text(cert_pem(cert.get()), "fuzz again");
    require(again.size() == 1 && fingerprint(again[0].get()) == print);
  }
  (void)verify_against(certs.front().get(), certs);
}

void key(std::string_view text) {
  try {
    require(read_key_pem_text(text, "fuzz") != nullptr);
  } catch (const std::runtime_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0)
    chain(text);
  else
    key(text);
  ERR_clear_error();  // what a failed read leaves must not leak into the next input
  return 0;
}
