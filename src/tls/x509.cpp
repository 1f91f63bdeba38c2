#include "tls/x509.hpp"

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include <array>
#include <stdexcept>

#include "tls/openssl_error.hpp"
#include "tls/openssl_handles.hpp"

namespace edgehub::tls {
namespace {

using detail::throw_openssl;

struct ExtFree {
  void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
};

// A positive random serial of at most 127 bits: unique enough that two
// certificates of one CA never share one (RFC 5280 allows 20 octets).
void set_random_serial(X509* cert) {
  detail::BnPtr bn(BN_new());
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
    throw_openssl("certificate serial");
  }
}

void set_subject(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1) {
    throw_openssl("certificate common name '" + common_name + "'");
  }
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    throw_openssl(std::string("certificate extension ") + OBJ_nid2sn(nid) + " '" + value + "'");
  }
}

std::string alt_names(const CertSpec& spec) {
  std::string out;
  for (const auto& dns : spec.dns_names) out += (out.empty() ? "DNS:" : ",DNS:") + dns;
  for (const auto& ip : spec.ip_addresses) out += (out.empty() ? "IP:" : ",IP:") + ip;
  return out;
}

void add_extensions(X509* cert, X509* issuer, const CertSpec& spec) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
  add_extension(cert, &ctx, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(cert, &ctx, NID_key_usage,
                spec.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyAgreement");
  if (!spec.is_ca) add_extension(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
  add_extension(cert, &ctx, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always");
  if (const auto names = alt_names(spec); !names.empty()) add_extension(cert, &ctx, NID_subject_alt_name, names);
}

std::string base64_unpadded(const unsigned char* data, int size) {
  std::string out(static_cast<std::size_t>(4 * ((size + 2) / 3)) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, size);
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

}  // namespace

KeyPtr generate_p256_key() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) throw_openssl("generate P-256 key");
  return key;
}

CertPtr make_certificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key) {
  if (spec.days <= 0) throw std::runtime_error("certificate validity must be at least one day");
  if (subject_key == nullptr || issuer_key == nullptr) throw std::runtime_error("certificate needs its keys");
  CertPtr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) throw_openssl("new certificate");
  set_random_serial(cert.get());
  // Valid from a minute ago: a peer whose clock is a little behind accepts it.
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), spec.days, 0, nullptr) == nullptr) {
    throw_openssl("certificate validity");
  }
  set_subject(cert.get(), spec.common_name);
  X509_NAME* issuer_name = X509_get_subject_name(issuer != nullptr ? issuer : cert.get());
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1 || X509_set_pubkey(cert.get(), subject_key) != 1) {
    throw_openssl("certificate issuer");
  }
  add_extensions(cert.get(), issuer, spec);
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) throw_openssl("sign certificate");
  return cert;
}

std::string fingerprint(X509* cert) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (X509_digest(cert, EVP_sha256(), digest.data(), &size) != 1) throw_openssl("certificate fingerprint");
  return "SHA256:" + base64_unpadded(digest.data(), static_cast<int>(size));
}

std::string common_name(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, data);
  if (size < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

std::vector<std::string> dns_names(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names, i);
    if (entry->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = entry->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                     static_cast<std::size_t>(ASN1_STRING_length(dns)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string serial_hex(X509* cert) {
  detail::BnPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) throw_openssl("certificate serial");
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) throw_openssl("certificate serial");
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

}  // namespace edgehub::tls
