// PEM files, verification and printing of certificates: the rest of
// tls/x509.hpp (docs/SECURITY.md#device-certificates).
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/atomic_file.hpp"
#include "tls/openssl_error.hpp"
#include "tls/openssl_handles.hpp"
#include "tls/x509.hpp"

namespace edgehub::tls {
namespace {

using detail::take_openssl_error;
using detail::throw_openssl;

using detail::BioPtr;
struct StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* ctx) const { X509_STORE_CTX_free(ctx); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(path.string() + ": read error");
  return text.str();
}

BioPtr memory_bio(std::string_view text) {
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) throw_openssl("memory buffer");
  return bio;
}

void write_pem(const std::filesystem::path& path, const std::string& pem) {
  try {
    write_file_atomically(path, pem);
  } catch (const std::system_error& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

}  // namespace

void write_key_pem(const std::filesystem::path& path, EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw_openssl(path.string() + ": encode key");
  }
  write_pem(path, bio_text(bio.get()));  // mkstemp creates the file 0600
}

std::string cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) throw_openssl("encode certificate");
  return bio_text(bio.get());
}

void write_cert_pem(const std::filesystem::path& path, X509* cert) {
  write_pem(path, cert_pem(cert));
  std::error_code ec;
  std::filesystem::permissions(path, std::filesystem::perms(0644), ec);
  if (ec) throw std::runtime_error(path.string() + ": " + ec.message());
}

KeyPtr read_key_pem_text(std::string_view text, const std::string& what) {
  BioPtr bio = memory_bio(text);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error(what + ": not a PEM private key (" + take_openssl_error() + ")");
  return key;
}

KeyPtr read_key_pem(const std::filesystem::path& path) { return read_key_pem_text(read_text(path), path.string()); }

std::vector<CertPtr> read_cert_chain_pem_text(std::string_view text, const std::string& what) {
  BioPtr bio = memory_bio(text);
  std::vector<CertPtr> chain;
  while (CertPtr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) chain.push_back(std::move(cert));
  // The loop ends at the end of the text (no start line) or at a broken entry.
  const unsigned long last = ERR_peek_last_error();
  if (chain.empty() || (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE)) {
    throw std::runtime_error(what + ": not a PEM certificate (" + take_openssl_error() + ")");
  }
  ERR_clear_error();
  return chain;
}

std::vector<CertPtr> read_cert_chain_pem(const std::filesystem::path& path) {
  return read_cert_chain_pem_text(read_text(path), path.string());
}

std::string not_after(X509* cert) {
  struct tm when {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &when) != 1) return "?";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &when);
  return text;
}

std::string verify_against(X509* cert, const std::vector<CertPtr>& trusted) {
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !ctx) throw_openssl("certificate store");
  for (const auto& ca : trusted) {
    if (X509_STORE_add_cert(store.get(), ca.get()) != 1) throw_openssl("add CA certificate");
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1) throw_openssl("verify context");
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) == 1) return {};
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace edgehub::tls
