#include "tls/crl.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "tls/openssl_error.hpp"
#include "tls/openssl_handles.hpp"

namespace edgehub::tls {
namespace {

struct CrlFree {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
using CrlPtr = std::unique_ptr<X509_CRL, CrlFree>;

std::string name_text(const X509_NAME* name) {
  detail::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) detail::throw_openssl("certificate name");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string integer_hex(const ASN1_INTEGER* serial) {
  detail::BnPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  char* hex = bn ? BN_bn2hex(bn.get()) : nullptr;
  if (hex == nullptr) detail::throw_openssl("serial number");
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

// The CA of cas that issued crl and whose key signed it, or nullptr.
X509* signer_of(X509_CRL* crl, const std::vector<CertPtr>& cas) {
  for (const auto& ca : cas) {
    if (X509_NAME_cmp(X509_get_subject_name(ca.get()), X509_CRL_get_issuer(crl)) != 0) continue;
    EVP_PKEY* key = X509_get0_pubkey(ca.get());
    if (key != nullptr && X509_CRL_verify(crl, key) == 1) return ca.get();
  }
  return nullptr;
}

void add_revoked(X509_CRL* crl, std::unordered_set<std::string>& out) {
  const std::string issuer = name_text(X509_CRL_get_issuer(crl));
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i)
    out.insert(revocation_key(issuer, integer_hex(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i)))));
}

}  // namespace

std::string issuer_name(X509* cert) { return name_text(X509_get_issuer_name(cert)); }

std::unordered_set<std::string> read_crl_revocations_text(std::string_view text, const std::string& what,
                                                          const std::vector<CertPtr>& cas) {
  detail::BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) detail::throw_openssl("memory buffer");
  std::unordered_set<std::string> out;
  int crls = 0;
  while (CrlPtr crl{PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)}) {
    ++crls;
    if (signer_of(crl.get(), cas) == nullptr)
      throw std::runtime_error(what + ": the CRL of '" + name_text(X509_CRL_get_issuer(crl.get())) +
                               "' is not signed by a --client-ca certificate");
    add_revoked(crl.get(), out);
  }
  // The loop ends at the end of the text (no start line) or at a broken entry.
  const unsigned long last = ERR_peek_last_error();
  if (crls == 0 || (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE))
    throw std::runtime_error(what + ": not a PEM CRL (" + detail::take_openssl_error() + ")");
  ERR_clear_error();
  return out;
}

std::unordered_set<std::string> read_crl_revocations(const std::filesystem::path& file,
                                                     const std::vector<CertPtr>& cas) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return read_crl_revocations_text(text.str(), file.string(), cas);
}

}  // namespace edgehub::tls
