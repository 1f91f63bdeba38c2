// tls/x509: keys, certificates, fingerprints and PEM files
// (docs/SECURITY.md#device-certificates).
#include "tls/x509.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace edgehub::tls {
namespace {

namespace fs = std::filesystem;

// Made by `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256
// -subj /CN=fixed.example`; kFixedOpensslHex is what `openssl x509
// -fingerprint -sha256 -noout` printed for it.
constexpr const char* kFixedPem = R"(-----BEGIN CERTIFICATE-----
MIIBhjCCAS2gAwIBAgIUMhR2cjwCE4MERHKR+OaJluR7JhYwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNZml4ZWQuZXhhbXBsZTAgFw0yNjEyMDQxNzMyMzRaGA8yMTI2
MTExMDE3MzIzNFowGDEWMBQGA1UEAwwNZml4ZWQuZXhhbXBsZTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABNC96kGu1R7hx9RNSA1o+sXN4IBph4pT5LVCBESfEbh9
CZeNxDj2bvBWMPIQeCNisDn6UTUJB3zSEDS8xmBIdzujUzBRMB0GA1UdDgQWBBSv
K8CSzkR7TGwmFPsuSJtnwyusKjAfBgNVHSMEGDAWgBSvK8CSzkR7TGwmFPsuSJtn
wyusKjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIFrjr2jAghpv
VyjaDOnEuMHrgey8S/PIaOVuXHGwD/r0AiBOOultgm6d510McoCgBAHqzaNZpa7g
dynNeX67ElB+1Q==
-----END CERTIFICATE-----
)";
constexpr const char* kFixedOpensslHex =
    "7F:62:1F:0E:94:18:23:B0:52:B6:F0:1D:53:9E:33:82:FD:E2:33:8D:95:AD:A8:12:51:C9:64:7F:49:2F:05:1F";

// The conversion a user makes by hand: openssl's colon-hex to unpadded base64.
std::string openssl_hex_to_ssh_style(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 3) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  std::string b64(64, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  b64.resize(static_cast<std::size_t>(n));
  while (b64.back() == '=') b64.pop_back();
  return "SHA256:" + b64;
}

class X509Test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "x509_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  fs::path dir_;
};

CertPtr self_signed_ca(EVP_PKEY* key, const std::string& name) {
  return make_certificate({.common_name = name, .days = 3650, .is_ca = true}, key, nullptr, key);
}

TEST_F(X509Test, FingerprintMatchesOpensslOfAFixedCertificate) {
  write(dir_ / "fixed.crt", kFixedPem);
  const auto chain = read_cert_chain_pem(dir_ / "fixed.crt");
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(fingerprint(chain[0].get()), openssl_hex_to_ssh_style(kFixedOpensslHex));
  EXPECT_EQ(fingerprint(chain[0].get()), "SHA256:f2IfDpQYI7BStvAdU54zgv3iM42VragSUclkf0kvBR8");
  EXPECT_EQ(common_name(chain[0].get()), "fixed.example");
}

TEST_F(X509Test, SelfSignedCertificateVerifiesAgainstItself) {
  const KeyPtr key = generate_p256_key();
  const CertPtr cert = make_certificate(
      {.common_name = "hub", .dns_names = {"localhost"}, .ip_addresses = {"127.0.0.1", "::1"}, .days = 30}, key.get(),
      nullptr, key.get());
  EXPECT_EQ(X509_verify(cert.get(), key.get()), 1);
  EXPECT_EQ(common_name(cert.get()), "hub");
  EXPECT_EQ(dns_names(cert.get()), std::vector<std::string>{"localhost"});
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
  EXPECT_EQ(fingerprint(cert.get()).rfind("SHA256:", 0), 0u);
  EXPECT_EQ(fingerprint(cert.get()).size(), 7u + 43u);  // 32 bytes: 43 base64 digits, no padding
}

TEST_F(X509Test, IssuedCertificateVerifiesAgainstItsCaOnly) {
  const KeyPtr ca_key = generate_p256_key();
  const CertPtr ca = self_signed_ca(ca_key.get(), "edgehub CA");
  const KeyPtr device_key = generate_p256_key();
  const CertPtr device = make_certificate({.common_name = "sensor1", .dns_names = {"sensor1"}, .days = 730},
                                          device_key.get(), ca.get(), ca_key.get());
  std::vector<CertPtr> trusted;
  trusted.emplace_back(X509_dup(ca.get()));
  EXPECT_EQ(verify_against(device.get(), trusted), "");

  const KeyPtr other_key = generate_p256_key();
  std::vector<CertPtr> other;
  other.push_back(self_signed_ca(other_key.get(), "edgehub CA"));  // same name, other key
  EXPECT_NE(verify_against(device.get(), other), "");
  EXPECT_NE(serial_hex(device.get()), serial_hex(ca.get()));
  EXPECT_NE(not_after(device.get()), "?");
}

TEST_F(X509Test, AnIssuedLeafCannotIssue) {
  const KeyPtr ca_key = generate_p256_key();
  const CertPtr ca = self_signed_ca(ca_key.get(), "CA");
  const KeyPtr leaf_key = generate_p256_key();
  const CertPtr leaf = make_certificate({.common_name = "leaf", .days = 30}, leaf_key.get(), ca.get(), ca_key.get());
  const KeyPtr key = generate_p256_key();
  const CertPtr forged = make_certificate({.common_name = "forged", .days = 30}, key.get(), leaf.get(), leaf_key.get());
  std::vector<CertPtr> trusted;
  trusted.emplace_back(X509_dup(ca.get()));
  // The untrusted intermediate is not even offered; a leaf is never a CA.
  EXPECT_NE(verify_against(forged.get(), trusted), "");
}

TEST_F(X509Test, KeyAndChainRoundTripThroughPemFiles) {
  const KeyPtr key = generate_p256_key();
  const CertPtr cert = self_signed_ca(key.get(), "CA");
  write_key_pem(dir_ / "ca.key", key.get());
  write_cert_pem(dir_ / "ca.crt", cert.get());
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "ca.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ / "ca.crt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  const KeyPtr back = read_key_pem(dir_ / "ca.key");
  EXPECT_EQ(EVP_PKEY_eq(back.get(), key.get()), 1);
  write(dir_ / "chain.crt", cert_pem(cert.get()) + kFixedPem);
  const auto chain = read_cert_chain_pem(dir_ / "chain.crt");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(fingerprint(chain[0].get()), fingerprint(cert.get()));
  EXPECT_EQ(common_name(chain[1].get()), "fixed.example");
}

TEST_F(X509Test, BadFilesThrowWithThePath) {
  write(dir_ / "garbage.pem", "not a certificate\n");
  write(dir_ / "cut.pem", std::string(kFixedPem).substr(0, 200));
  for (const char* name : {"garbage.pem", "cut.pem", "missing.pem"}) {
    const fs::path path = dir_ / name;
    try {
      read_cert_chain_pem(path);
      ADD_FAILURE() << name << " was read";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
    EXPECT_THROW(read_key_pem(path), std::runtime_error);
  }
  write(dir_ / "bad_then_good.pem",
        std::string(kFixedPem) + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  EXPECT_THROW(read_cert_chain_pem(dir_ / "bad_then_good.pem"), std::runtime_error);
  EXPECT_THROW(write_key_pem(dir_ / "no/such/dir/k.pem", generate_p256_key().get()), std::runtime_error);
}

TEST_F(X509Test, BadSpecsAreRefused) {
  const KeyPtr key = generate_p256_key();
  EXPECT_THROW(
      make_certificate({.common_name = "x", .ip_addresses = {"300.1.1.1"}, .days = 1}, key.get(), nullptr, key.get()),
      std::runtime_error);
  EXPECT_THROW(make_certificate({.common_name = "x", .days = 0}, key.get(), nullptr, key.get()), std::runtime_error);
}

}  // namespace
}  // namespace edgehub::tls
