// Device certificates and their revocations in PostgreSQL
// (docs/SECURITY.md#device-certificates).
#include "store/postgres/postgres_store.hpp"

namespace edgehub::store {
void PostgresStore::add_device_certificate(const DeviceCertificate& c) {
  static constexpr PgStatement kInsert{
      "certificate_add",
      "INSERT INTO device_certificates(serial, name, fingerprint, issued_unix, not_after) VALUES($1, $2, $3, $4, $5)"};
  db_.run(kInsert, {c.serial, c.name, c.fingerprint, std::to_string(c.issued_unix), c.not_after});
}

std::vector<std::string> PostgresStore::revoke_device_certificates(std::string_view name, std::int64_t at_unix) {
  static constexpr PgStatement kRevoke{
      "certificate_revoke",
      "WITH revoked AS (UPDATE device_certificates SET revoked_unix = $2 WHERE name = $1 AND revoked_unix IS NULL "
      "RETURNING serial) SELECT serial FROM revoked ORDER BY serial"};
  return db_.run(kRevoke, {std::string(name), std::to_string(at_unix)}).column_texts(0);
}

std::vector<DeviceCertificate> PostgresStore::load_device_certificates() {
  static constexpr PgStatement kAll{
      "certificates_all",
      "SELECT serial, name, fingerprint, issued_unix, not_after, revoked_unix FROM device_certificates "
      "ORDER BY name, issued_unix, serial"};
  const auto r = db_.run(kAll);
  std::vector<DeviceCertificate> out;
  for (int i = 0; i < r.rows(); ++i) {
    DeviceCertificate c{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.int64(i, 3), r.text(i, 4)};
    c.revoked_unix = r.int64_or_null(i, 5);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> PostgresStore::load_revoked_serials() {
  static constexpr PgStatement kRevoked{
      "certificates_revoked", "SELECT serial FROM device_certificates WHERE revoked_unix IS NOT NULL ORDER BY serial"};
  return db_.run(kRevoked).column_texts(0);
}

}  // namespace edgehub::store
