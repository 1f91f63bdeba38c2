// Device certificates and revocations in the store
// (docs/SECURITY.md#device-certificates).
#include <gtest/gtest.h>

#include "store/sqlite_store.hpp"
#include "temp_db.hpp"

namespace edgehub::store {
namespace {

DeviceCertificate cert(std::string serial, std::string name, std::int64_t issued) {
  return {std::move(serial), std::move(name), "SHA256:x", issued, "2028-12-04 17:00:00 UTC"};
}

std::vector<std::string> summary(SqliteStore& s) {
  std::vector<std::string> out;
  for (const auto& c : s.load_device_certificates())
    out.push_back(c.name + ":" + c.serial + ":" + (c.revoked_unix ? std::to_string(*c.revoked_unix) : "-"));
  return out;
}

TEST(SqliteStoreCertificates, RevokeMarksEveryLiveCertificateOfTheNameOnly) {
  testing::TempDir dir;
  SqliteStore s(dir.file("edgehub.db"));
  s.add_device_certificate(cert("0A", "sensor1", 10));
  s.add_device_certificate(cert("0B", "sensor1", 20));
  s.add_device_certificate(cert("0C", "sensor2", 15));
  EXPECT_TRUE(s.load_revoked_serials().empty());
  EXPECT_EQ(s.revoke_device_certificates("sensor1", 100), (std::vector<std::string>{"0A", "0B"}));
  EXPECT_EQ(summary(s), (std::vector<std::string>{"sensor1:0A:100", "sensor1:0B:100", "sensor2:0C:-"}));
  EXPECT_EQ(s.load_revoked_serials(), (std::vector<std::string>{"0A", "0B"}));
}

TEST(SqliteStoreCertificates, RevokingAgainOrAnUnknownNameChangesNothing) {
  testing::TempDir dir;
  SqliteStore s(dir.file("edgehub.db"));
  s.add_device_certificate(cert("0A", "sensor1", 10));
  ASSERT_EQ(s.revoke_device_certificates("sensor1", 100).size(), 1u);
  EXPECT_TRUE(s.revoke_device_certificates("sensor1", 200).empty());  // keeps the first revocation time
  EXPECT_TRUE(s.revoke_device_certificates("nobody", 200).empty());
  EXPECT_EQ(summary(s), (std::vector<std::string>{"sensor1:0A:100"}));
}

TEST(SqliteStoreCertificates, ANewCertificateAfterARevocationIsLive) {
  testing::TempDir dir;
  SqliteStore s(dir.file("edgehub.db"));
  s.add_device_certificate(cert("0A", "sensor1", 10));
  s.revoke_device_certificates("sensor1", 100);
  s.add_device_certificate(cert("0D", "sensor1", 110));
  EXPECT_EQ(s.load_revoked_serials(), (std::vector<std::string>{"0A"}));
  EXPECT_THROW(s.add_device_certificate(cert("0D", "other", 120)), std::runtime_error);  // a serial is unique
}

TEST(SqliteStoreCertificates, ARevocationMovesTheServersDataVersion) {
  testing::TempDir dir;
  SqliteStore server(dir.file("edgehub.db"));
  SqliteStore admin(dir.file("edgehub.db"));
  admin.add_device_certificate(cert("0A", "sensor1", 10));
  const auto before = server.data_version();
  admin.revoke_device_certificates("sensor1", 100);
  EXPECT_NE(server.data_version(), before);
  EXPECT_EQ(server.load_revoked_serials(), (std::vector<std::string>{"0A"}));
}

}  // namespace
}  // namespace edgehub::store
