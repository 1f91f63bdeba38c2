// Device certificates and their revocations in SQLite
// (docs/SECURITY.md#device-certificates): written by `edgehubd ca`, read by
// the running server when data_version moves.
#include "store/sqlite_store.hpp"

namespace edgehub::store {

void SqliteStore::add_device_certificate(const DeviceCertificate& c) {
  db_.prepare(
         "INSERT INTO device_certificates(serial, name, fingerprint, issued_unix, not_after) "
         "VALUES(?, ?, ?, ?, ?)")
      .bind(1, c.serial)
      .bind(2, c.name)
      .bind(3, c.fingerprint)
      .bind(4, c.issued_unix)
      .bind(5, c.not_after)
      .run();
}

std::vector<std::string> SqliteStore::revoke_device_certificates(std::string_view name, std::int64_t at_unix) {
  std::vector<std::string> serials;
  auto st = db_.prepare("SELECT serial FROM device_certificates WHERE name = ? AND revoked_unix IS NULL");
  st.bind(1, name);
  while (st.step()) serials.push_back(st.column_text(0));
  db_.prepare("UPDATE device_certificates SET revoked_unix = ? WHERE name = ? AND revoked_unix IS NULL")
      .bind(1, at_unix)
      .bind(2, name)
      .run();
  return serials;
}

std::vector<DeviceCertificate> SqliteStore::load_device_certificates() {
  std::vector<DeviceCertificate> out;
  auto st = db_.prepare(
      "SELECT serial, name, fingerprint, issued_unix, not_after, revoked_unix FROM device_certificates "
      "ORDER BY name, issued_unix, serial");
  while (st.step()) {
    DeviceCertificate c{st.column_text(0), st.column_text(1), st.column_text(2), st.column_int(3), st.column_text(4)};
    c.revoked_unix = st.column_int_or_null(5);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> SqliteStore::load_revoked_serials() {
  std::vector<std::string> out;
  auto st = db_.prepare("SELECT serial FROM device_certificates WHERE revoked_unix IS NOT NULL ORDER BY serial");
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

}  // namespace edgehub::store
