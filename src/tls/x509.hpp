#pragma once
// X.509 certificates and P-256 keys through OpenSSL 3's EVP/X509 APIs: the
// server's self-signed certificate, the device CA and the certificates it
// issues (docs/SECURITY.md#device-certificates). Every reader throws
// std::runtime_error naming the file and OpenSSL's reason.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::tls {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;

// A fresh ECDSA P-256 key pair.
KeyPtr generate_p256_key();

struct CertSpec {
  std::string common_name{};
  std::vector<std::string> dns_names{}, ip_addresses{};  // subjectAltName entries
  int days = 365;                                        // validity from now
  bool is_ca = false;  // CA: basicConstraints CA:TRUE, keyCertSign; else serverAuth+clientAuth
};

// Signs with issuer_key (SHA-256); issuer == nullptr makes it self-signed
// (then issuer_key must be subject_key). A random 127-bit serial.
// Throws std::runtime_error on a bad spec (e.g. an IP address that does not parse).
CertPtr make_certificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key);

// "SHA256:" + unpadded base64 of SHA-256(DER), as `ssh-keygen -l` prints.
std::string fingerprint(X509* cert);

// Writes PKCS#8 PEM with mode 0600, atomically (common/atomic_file).
void write_key_pem(const std::filesystem::path& path, EVP_PKEY* key);
// Writes PEM atomically, mode 0644 (a certificate is public).
void write_cert_pem(const std::filesystem::path& path, X509* cert);
KeyPtr read_key_pem(const std::filesystem::path& path);
// Every certificate in the file, in order (leaf first for a chain); at least one.
std::vector<CertPtr> read_cert_chain_pem(const std::filesystem::path& path);
// The same from PEM text already in memory; `what` names it in errors
// (tests/fuzz/certificate_fuzz.cpp feeds these untrusted bytes).
KeyPtr read_key_pem_text(std::string_view text, const std::string& what);
std::vector<CertPtr> read_cert_chain_pem_text(std::string_view text, const std::string& what);

// Small additions for the device CA and certificate logins:

// The subject's CN, "" when it has none.
std::string common_name(X509* cert);
// The DNS entries of the subjectAltName.
std::vector<std::string> dns_names(X509* cert);
// The serial number in upper-case hex, as `openssl x509 -serial` prints it.
std::string serial_hex(X509* cert);
// The end of validity as "YYYY-MM-DD HH:MM:SS UTC".
std::string not_after(X509* cert);
// Verifies cert against the trusted CA certificates (chain, signature,
// validity, CA flags, use as a TLS client). Returns "" when valid, else OpenSSL's reason.
std::string verify_against(X509* cert, const std::vector<CertPtr>& trusted);
// PEM text of a certificate (to print or to compare).
std::string cert_pem(X509* cert);

}  // namespace edgehub::tls
