// certlogin and certificate-bound resume tokens
// (docs/SECURITY.md#device-certificates, docs/PROTOCOL.md#5-logging-in).
#include <gtest/gtest.h>

#include "unit/hub/core/hub_harness.hpp"

namespace edgehub::hub {
namespace {

using Replies = std::vector<std::string>;

HubConfig with_certificates() {
  HubConfig config;
  config.client_ca = "ca.crt";  // only its being set matters to the hub
  return config;
}

tls::PeerCertificate device_cert(std::string cn, std::string serial = "0A") {
  std::string fingerprint = "SHA256:fp-" + serial;
  return {.verified = true,
          .common_name = std::move(cn),
          .serial = std::move(serial),
          .fingerprint = std::move(fingerprint)};
}

class CertificateLoginTest : public testing::HubHarness {
 protected:
  CertificateLoginTest() : HubHarness(with_certificates()) {}

  testing::Device& with_cert(tls::PeerCertificate cert) {
    testing::Device& device = connect();
    device.peer->set_certificate(std::move(cert));
    return device;
  }
  // The resume token a successful login sent (its !TOKEN event).
  static std::string token_of(const Replies& replies) {
    for (const auto& r : replies)
      if (r.rfind("!TOKEN ", 0) == 0) return r.substr(7);
    return {};
  }
};

TEST_F(CertificateLoginTest, AVerifiedCertificateNamingTheAccountLogsInWithoutAPassword) {
  testing::Device& device = with_cert(device_cert("alice"));
  const auto replies = send(device, "certlogin alice 7000");
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.front(), "+OK Welcome to edgehub, alice!");
  EXPECT_EQ(token_of(replies).size(), 64u);
  EXPECT_EQ(hub().directory().online().size(), 1u);
}

// --client-crl revokes by issuer and serial: the same serial from another
// CA still logs in (docs/SECURITY.md#device-certificates).
TEST_F(CertificateLoginTest, ACrlRevokesByIssuerAndSerial) {
  hub().watch_client_crl(std::make_unique<CrlWatch>(), {tls::revocation_key("CN=Fleet CA", "0C")});
  tls::PeerCertificate revoked = device_cert("alice", "0C");
  revoked.issuer = "CN=Fleet CA";
  EXPECT_EQ(send(with_cert(revoked), "certlogin alice"),
            Replies{"-ERR 401 Your device certificate (serial 0C) has been revoked"});
  tls::PeerCertificate other = device_cert("alice", "0C");
  other.issuer = "CN=Other CA";
  EXPECT_EQ(send(with_cert(other), "certlogin alice").front(), "+OK Welcome to edgehub, alice!");
}

TEST_F(CertificateLoginTest, ASubjectAltNameMayNameTheAccount) {
  tls::PeerCertificate cert = device_cert("sensor-hall-3");
  cert.dns_names = {"bob"};
  testing::Device& device = with_cert(cert);
  EXPECT_EQ(send(device, "certlogin bob").front(), "+OK Welcome to edgehub, bob!");
}

TEST_F(CertificateLoginTest, RefusalsSayWhyAndLogInNobody) {
  testing::Device& plain = connect();
  EXPECT_EQ(send(plain, "certlogin alice"),
            Replies{"-ERR 401 No client certificate on this connection: connect over TLS with one (edgehub --cert "
                    "FILE --key FILE)"});
  tls::PeerCertificate foreign = device_cert("alice");
  foreign.verified = false;
  foreign.verify_error = "unable to get local issuer certificate";
  EXPECT_EQ(send(with_cert(foreign), "certlogin alice"),
            Replies{"-ERR 401 Your certificate is not trusted by this server (unable to get local issuer "
                    "certificate)"});
  EXPECT_EQ(send(with_cert(device_cert("bob")), "certlogin alice"),
            Replies{"-ERR 401 Your certificate is for bob, not alice"});
  EXPECT_EQ(send(with_cert(device_cert("zed")), "certlogin zed"),
            Replies{"-ERR 401 There is no account zed on this server"});
  hub().set_revoked_certificates({"0B"});
  EXPECT_EQ(send(with_cert(device_cert("alice", "0B")), "certlogin alice"),
            Replies{"-ERR 401 Your device certificate (serial 0B) has been revoked"});
  EXPECT_EQ(send(with_cert(device_cert("alice")), "certlogin alice 0"),
            Replies{"-ERR 400 UDPPORT must be an integer from 1 to 65535"});
  EXPECT_TRUE(hub().directory().online().empty());
}

TEST_F(CertificateLoginTest, APasswordLoginIsUnchangedBesideACertificate) {
  testing::Device& device = with_cert(device_cert("bob"));
  EXPECT_EQ(send(device, "login alice wonder1and").front(), "+OK Welcome to edgehub, alice!");
}

TEST_F(CertificateLoginTest, ItsResumeTokenNeedsTheSameCertificate) {
  testing::Device& first = with_cert(device_cert("alice"));
  const std::string token = token_of(send(first, "certlogin alice"));
  hub().on_disconnect(first.session);
  const Replies refused{
      "-ERR 401 This resume token belongs to a certificate login: resume over TLS with the same certificate, or "
      "log in again"};
  EXPECT_EQ(send(connect(), "resume alice " + token), refused);
  EXPECT_EQ(send(with_cert(device_cert("alice", "0C")), "resume alice " + token), refused);
  const auto resumed = send(with_cert(device_cert("alice")), "resume alice " + token);
  ASSERT_FALSE(resumed.empty());
  EXPECT_EQ(resumed.front(), "+OK Welcome to edgehub, alice!");
  EXPECT_EQ(token_of(resumed).size(), 64u);
}

TEST_F(CertificateLoginTest, RevocationIsCheckedAgainAtResume) {
  testing::Device& first = with_cert(device_cert("alice"));
  const std::string token = token_of(send(first, "certlogin alice"));
  hub().on_disconnect(first.session);
  hub().set_revoked_certificates({"0A"});
  EXPECT_EQ(send(with_cert(device_cert("alice")), "resume alice " + token),
            Replies{"-ERR 401 Your device certificate (serial 0A) has been revoked"});
}

class CertificateLoginOffTest : public testing::HubHarness {};

TEST_F(CertificateLoginOffTest, WithoutClientCaCertloginIsRefused) {
  testing::Device& device = connect();
  device.peer->set_certificate(device_cert("alice"));
  EXPECT_EQ(send(device, "certlogin alice"),
            Replies{"-ERR 401 This server does not accept device certificates (edgehubd --client-ca)"});
}

}  // namespace
}  // namespace edgehub::hub
