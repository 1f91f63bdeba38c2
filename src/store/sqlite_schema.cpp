#include "store/sqlite_schema.hpp"

namespace edgehub::store {

const std::vector<std::string_view>& sqlite_migrations() {
  static const std::vector<std::string_view> steps = {
      // 1: accounts, meta, login history
      R"sql(
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE accounts (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL);
        CREATE TABLE logins (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          ip TEXT NOT NULL,
          udp_port INTEGER NOT NULL,
          login_unix INTEGER NOT NULL,
          logout_unix INTEGER);
        CREATE INDEX logins_by_time ON logins (login_unix);
        CREATE INDEX logins_open ON logins (logout_unix) WHERE logout_unix IS NULL;
      )sql",
      // 2: offline messages (delivered in seq order: when the server accepted
      // them), their per-recipient count (the queue bound), blocks
      R"sql(
        CREATE TABLE offline_messages (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          seq INTEGER NOT NULL,
          recipient TEXT NOT NULL,
          sender TEXT NOT NULL,
          kind TEXT NOT NULL,
          body TEXT NOT NULL,
          sent_unix INTEGER NOT NULL);
        CREATE INDEX offline_by_recipient ON offline_messages (recipient, seq);
        CREATE TABLE offline_counts (recipient TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE blocks (
          blocker TEXT NOT NULL,
          blocked TEXT NOT NULL,
          PRIMARY KEY (blocker, blocked)) WITHOUT ROWID;
      )sql",
      // 3: accounts managed with `edgehubd user` (origin 'admin') beside
      // those imported from the credentials file (origin 'file'), and unlock
      // requests that a running server picks up (docs/SECURITY.md#accounts)
      R"sql(
        ALTER TABLE accounts ADD COLUMN origin TEXT NOT NULL DEFAULT 'file';
        CREATE TABLE account_unlocks (name TEXT PRIMARY KEY, at_unix INTEGER NOT NULL) WITHOUT ROWID;
      )sql",
      // 4: device certificates issued with `edgehubd ca issue` and their
      // revocations, checked at every certificate login
      // (docs/SECURITY.md#device-certificates)
      R"sql(
        CREATE TABLE device_certificates (
          serial TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          issued_unix INTEGER NOT NULL,
          not_after TEXT NOT NULL,
          revoked_unix INTEGER) WITHOUT ROWID;
        CREATE INDEX device_certificates_by_name ON device_certificates (name);
      )sql",
      // 5: the web console's admin role on an account (docs/HTTP_API.md#admin)
      R"sql(
        ALTER TABLE accounts ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
      )sql",
  };
  return steps;
}

}  // namespace edgehub::store
