#include "store/sqlite_store.hpp"

#include <string>

#include "store/sqlite_schema.hpp"

namespace edgehub::store {

SqliteStore::SqliteStore(const std::filesystem::path& file) : db_(file) {
  try {
    configure();
  } catch (const DiskFull&) {
    // A full disk cannot hold WAL mode's shared index (the -shm file, 32
    // KiB). In exclusive locking mode SQLite keeps that index in memory, so
    // the database can still be read; writes fail with DiskFull until
    // there is room (docs/SECURITY.md#a-full-disk). The lock also keeps
    // `edgehubd user` out until a restart; on a full disk it could not
    // write anyway.
    db_ = SqliteDb(file);
    db_.exec("PRAGMA locking_mode=EXCLUSIVE");
    configure();  // a schema migration still needs room: DiskFull again
    read_mostly_ = true;
  }
}

void SqliteStore::configure() {
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=FULL");
  db_.exec("PRAGMA foreign_keys=ON");
  migrate();
}

void SqliteStore::migrate() {
  auto version_stmt = db_.prepare("PRAGMA user_version");
  version_stmt.step();
  const auto current = static_cast<std::size_t>(version_stmt.column_int(0));
  version_stmt.reset();
  const auto& steps = sqlite_migrations();
  for (std::size_t i = current; i < steps.size(); ++i) {
    db_.exec("BEGIN IMMEDIATE");
    try {
      db_.exec(steps[i]);
      db_.exec("PRAGMA user_version=" + std::to_string(i + 1));
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  }
}

void SqliteStore::begin() { db_.exec("BEGIN IMMEDIATE"); }
void SqliteStore::commit() { db_.exec("COMMIT"); }
void SqliteStore::rollback() { db_.exec("ROLLBACK"); }
void SqliteStore::savepoint() { db_.exec("SAVEPOINT job"); }
void SqliteStore::release_savepoint() { db_.exec("RELEASE job"); }
void SqliteStore::rollback_to_savepoint() { db_.exec("ROLLBACK TO job; RELEASE job"); }

std::optional<std::string> SqliteStore::meta(std::string_view key) {
  auto st = db_.prepare("SELECT value FROM meta WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

void SqliteStore::set_meta(std::string_view key, std::string_view value) {
  db_.prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

std::int64_t SqliteStore::record_login(const LoginRecord& r) {
  db_.prepare("INSERT INTO logins(name, ip, udp_port, login_unix) VALUES(?, ?, ?, ?)")
      .bind(1, r.name)
      .bind(2, r.ip)
      .bind(3, std::int64_t{r.udp_port})
      .bind(4, r.login_unix)
      .run();
  return db_.last_insert_id();
}

void SqliteStore::record_logout(std::int64_t id, std::int64_t logout_unix) {
  db_.prepare("UPDATE logins SET logout_unix = ? WHERE id = ?").bind(1, logout_unix).bind(2, id).run();
}

int SqliteStore::close_dangling_logins(std::int64_t at_unix) {
  db_.prepare("UPDATE logins SET logout_unix = ? WHERE logout_unix IS NULL").bind(1, at_unix).run();
  return db_.changes();
}

std::vector<LoginRecord> SqliteStore::logins_since(std::int64_t since_unix) {
  std::vector<LoginRecord> out;
  auto st = db_.prepare(
      "SELECT id, name, ip, udp_port, login_unix, logout_unix FROM logins "
      "WHERE logout_unix IS NULL OR logout_unix >= ? ORDER BY id");
  st.bind(1, since_unix);
  while (st.step()) {
    LoginRecord r{st.column_int(0), st.column_text(1), st.column_text(2), static_cast<int>(st.column_int(3)),
                  st.column_int(4), std::nullopt};
    r.logout_unix = st.column_int_or_null(5);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace edgehub::store
