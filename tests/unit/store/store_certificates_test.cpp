// Device certificates and revocations in the store
// (docs/SECURITY.md#device-certificates).
#include <gtest/gtest.h>

#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

template <typename Backend>
class StoreCertificates : public testing::StoreTest<Backend> {};
TYPED_TEST_SUITE(StoreCertificates, testing::Backends, testing::BackendNames);

DeviceCertificate cert(std::string serial, std::string name, std::int64_t issued) {
  return {std::move(serial), std::move(name), "SHA256:x", issued, "2028-12-04 17:00:00 UTC"};
}

std::vector<std::string> summary(Store& s) {
  std::vector<std::string> out;
  for (const auto& c : s.load_device_certificates())
    out.push_back(c.name + ":" + c.serial + ":" + (c.revoked_unix ? std::to_string(*c.revoked_unix) : "-"));
  return out;
}

TYPED_TEST(StoreCertificates, RevokeMarksEveryLiveCertificateOfTheNameOnly) {
  const auto owned = this->open();
  Store& s = *owned;
  s.add_device_certificate(cert("0A", "sensor1", 10));
  s.add_device_certificate(cert("0B", "sensor1", 20));
  s.add_device_certificate(cert("0C", "sensor2", 15));
  EXPECT_TRUE(s.load_revoked_serials().empty());
  EXPECT_EQ(s.revoke_device_certificates("sensor1", 100), (std::vector<std::string>{"0A", "0B"}));
  EXPECT_EQ(summary(s), (std::vector<std::string>{"sensor1:0A:100", "sensor1:0B:100", "sensor2:0C:-"}));
  EXPECT_EQ(s.load_revoked_serials(), (std::vector<std::string>{"0A", "0B"}));
}

TYPED_TEST(StoreCertificates, RevokingAgainOrAnUnknownNameChangesNothing) {
  const auto owned = this->open();
  Store& s = *owned;
  s.add_device_certificate(cert("0A", "sensor1", 10));
  ASSERT_EQ(s.revoke_device_certificates("sensor1", 100).size(), 1u);
  EXPECT_TRUE(s.revoke_device_certificates("sensor1", 200).empty());  // keeps the first revocation time
  EXPECT_TRUE(s.revoke_device_certificates("nobody", 200).empty());
  EXPECT_EQ(summary(s), (std::vector<std::string>{"sensor1:0A:100"}));
}

TYPED_TEST(StoreCertificates, ANewCertificateAfterARevocationIsLive) {
  const auto owned = this->open();
  Store& s = *owned;
  s.add_device_certificate(cert("0A", "sensor1", 10));
  s.revoke_device_certificates("sensor1", 100);
  s.add_device_certificate(cert("0D", "sensor1", 110));
  EXPECT_EQ(s.load_revoked_serials(), (std::vector<std::string>{"0A"}));
  EXPECT_THROW(s.add_device_certificate(cert("0D", "other", 120)), std::runtime_error);  // a serial is unique
}

TYPED_TEST(StoreCertificates, ARevocationMovesTheServersDataVersion) {
  const auto server = this->open();
  const auto admin = this->open();
  admin->add_device_certificate(cert("0A", "sensor1", 10));
  const auto before = server->data_version();
  admin->revoke_device_certificates("sensor1", 100);
  EXPECT_NE(server->data_version(), before);
  EXPECT_EQ(server->load_revoked_serials(), (std::vector<std::string>{"0A"}));
}

}  // namespace
}  // namespace edgehub::store
