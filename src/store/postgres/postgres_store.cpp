#include "store/postgres/postgres_store.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "store/postgres/postgres_schema.hpp"

namespace edgehub::store {
namespace {

// Held while migrating, so that nodes starting together migrate once.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(74750017)";

PgParams params(std::string_view a) { return {std::string(a)}; }

}  // namespace

PostgresStore::PostgresStore(const std::string& conninfo, SchemaTransaction schema) : db_(conninfo) { migrate(schema); }

// One transaction for every pending step: PostgreSQL's DDL is
// transactional, so a failed step leaves the database at its old version.
// KeepOpen also keeps the advisory lock: a node starting meanwhile waits.
void PostgresStore::migrate(SchemaTransaction schema) {
  const auto& steps = postgres_migrations();
  begin();
  try {
    db_.exec(kMigrationLock);
    db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const auto current = schema_version();
    if (current > static_cast<std::int64_t>(steps.size()))
      throw std::runtime_error(
          fmt::format("the database's schema is version {}, newer than this edgehubd knows ({}): upgrade edgehubd",
                      current, steps.size()));
    for (auto i = static_cast<std::size_t>(current); i < steps.size(); ++i) db_.exec(steps[i]);
    if (current < static_cast<std::int64_t>(steps.size()))
      db_.exec(fmt::format("DELETE FROM schema_version; INSERT INTO schema_version VALUES ({})", steps.size()));
    if (schema == SchemaTransaction::Commit) commit();
  } catch (...) {
    rollback_after_failure(*this);
    throw;
  }
}

std::int64_t PostgresStore::schema_version() {
  const auto r = db_.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  return r.int64(0, 0);
}

// A connection lost between transactions is opened again here, so a node
// recovers by itself when the database returns (PgConnection::begin).
void PostgresStore::begin() {
  db_.begin();
  recipient_locks_.begin();
}

// COMMIT of a transaction that failed says "ROLLBACK" without an error:
// made one here, so no caller acknowledges work that was undone.
void PostgresStore::commit() {
  recipient_locks_.check_before_commit();  // the caller rolls back and starts over
  recipient_locks_.end();
  db_.commit();
}

void PostgresStore::rollback() {
  recipient_locks_.end();
  db_.rollback();
}

void PostgresStore::savepoint() {
  db_.exec("SAVEPOINT job");
  recipient_locks_.savepoint();
}
void PostgresStore::release_savepoint() { db_.exec("RELEASE SAVEPOINT job"); }
// A lock taken since the savepoint is given back with it.
void PostgresStore::rollback_to_savepoint() {
  recipient_locks_.rollback_to_savepoint();
  db_.exec("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job");
}

std::optional<std::string> PostgresStore::meta(std::string_view key) {
  static constexpr PgStatement kSelect{"meta_get", "SELECT value FROM meta WHERE key = $1"};
  const auto r = db_.run(kSelect, params(key));
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

void PostgresStore::set_meta(std::string_view key, std::string_view value) {
  static constexpr PgStatement kUpsert{
      "meta_set", "INSERT INTO meta(key, value) VALUES($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value"};
  db_.run(kUpsert, {std::string(key), std::string(value)});
}

std::int64_t PostgresStore::record_login(const LoginRecord& r) {
  static constexpr PgStatement kInsert{
      "login_insert", "INSERT INTO logins(name, ip, udp_port, login_unix) VALUES($1, $2, $3, $4) RETURNING id"};
  return db_.run(kInsert, {r.name, r.ip, std::to_string(r.udp_port), std::to_string(r.login_unix)}).int64(0, 0);
}

void PostgresStore::record_logout(std::int64_t id, std::int64_t logout_unix) {
  static constexpr PgStatement kUpdate{"login_logout", "UPDATE logins SET logout_unix = $1 WHERE id = $2"};
  db_.run(kUpdate, {std::to_string(logout_unix), std::to_string(id)});
}

// With several nodes on the database, an open row may be another node's
// device online now: only rows of accounts that no running node holds are
// closed. A node runs while its lease is valid and its liveness lock is
// held; this node's own previous run holds no lock any more, so its rows
// close (docs/CLUSTER.md#presence-across-nodes). The probe takes the free
// locks until the statement's transaction ends, as the login reaper does.
int PostgresStore::close_dangling_logins(std::int64_t at_unix) {
  static constexpr PgStatement kClose{
      "login_close_dangling",
      "UPDATE logins SET logout_unix = $1 WHERE logout_unix IS NULL AND name NOT IN "
      "(SELECT s.account FROM cluster_sessions s JOIN cluster_nodes n ON n.node_id = s.node_id "
      "WHERE n.lease_until >= now() AND NOT pg_try_advisory_xact_lock(" EDGEHUB_LIVENESS_LOCK_SPACE
      ", hashtext(n.node_id)))"};
  return static_cast<int>(db_.run(kClose, {std::to_string(at_unix)}).affected());
}

std::vector<LoginRecord> PostgresStore::logins_since(std::int64_t since_unix) {
  static constexpr PgStatement kSince{"logins_since",
                                      "SELECT id, name, ip, udp_port, login_unix, logout_unix FROM logins "
                                      "WHERE logout_unix IS NULL OR logout_unix >= $1 ORDER BY id"};
  const auto r = db_.run(kSince, {std::to_string(since_unix)});
  std::vector<LoginRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    LoginRecord record{r.int64(i, 0), r.text(i, 1), r.text(i, 2), static_cast<int>(r.int64(i, 3)),
                       r.int64(i, 4), std::nullopt};
    record.logout_unix = r.int64_or_null(i, 5);
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace edgehub::store
