// PostgresStore: every row as stored, for `edgehubd migrate`
// (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql). NULLs travel as
// empty text parameters (NULLIF), since every parameter is sent as text.
#include <fmt/format.h>

#include <string>

#include "store/postgres/postgres_store.hpp"
#include "store/store_tables.hpp"

namespace edgehub::store {
namespace {

std::string nullable_text(const std::optional<std::int64_t>& value) { return value ? std::to_string(*value) : ""; }

std::string limit_text(std::size_t limit) { return std::to_string(limit); }

}  // namespace

std::vector<TableCount> PostgresStore::count_rows() {
  std::vector<TableCount> out;
  for (const auto table : kDataTables) {
    const auto r = db_.exec(fmt::format("SELECT count(*) FROM {}", table));
    out.push_back({std::string(table), r.int64(0, 0)});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> PostgresStore::load_meta() {
  const auto r = db_.exec("SELECT key, value FROM meta ORDER BY key");
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
  return out;
}

std::vector<UnlockRequest> PostgresStore::load_unlock_requests() {
  const auto r = db_.exec("SELECT name, at_unix FROM account_unlocks ORDER BY name");
  std::vector<UnlockRequest> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.int64(i, 1)});
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> PostgresStore::load_offline_counts() {
  const auto r = db_.exec("SELECT recipient, n FROM offline_counts ORDER BY recipient");
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.int64(i, 1));
  return out;
}

std::vector<LoginRecord> PostgresStore::logins_page(std::int64_t after_id, std::size_t limit) {
  static constexpr PgStatement kPage{"logins_page",
                                     "SELECT id, name, ip, udp_port, login_unix, logout_unix FROM logins "
                                     "WHERE id > $1 ORDER BY id LIMIT $2"};
  const auto r = db_.run(kPage, {std::to_string(after_id), limit_text(limit)});
  std::vector<LoginRecord> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2), static_cast<int>(r.int64(i, 3)), r.int64(i, 4),
                   r.int64_or_null(i, 5)});
  return out;
}

std::vector<OfflineMessage> PostgresStore::offline_page(std::int64_t after_id, std::size_t limit) {
  static constexpr PgStatement kPage{"offline_page",
                                     "SELECT id, seq, recipient, sender, kind, body, sent_unix FROM offline_messages "
                                     "WHERE id > $1 ORDER BY id LIMIT $2"};
  const auto r = db_.run(kPage, {std::to_string(after_id), limit_text(limit)});
  std::vector<OfflineMessage> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3), message_kind(r.text(i, 4)), r.text(i, 5),
                   r.int64(i, 6)});
  return out;
}

// The accounts and what hangs on them.
void PostgresStore::insert_account_rows(const StoreRows& rows) {
  static constexpr PgStatement kMeta{"bulk_meta", "INSERT INTO meta(key, value) VALUES($1, $2)"};
  static constexpr PgStatement kAccount{
      "bulk_account", "INSERT INTO accounts(name, password_hash, origin, is_admin) VALUES($1, $2, $3, $4)"};
  static constexpr PgStatement kUnlock{"bulk_unlock", "INSERT INTO account_unlocks(name, at_unix) VALUES($1, $2)"};
  static constexpr PgStatement kCertificate{
      "bulk_certificate",
      "INSERT INTO device_certificates(serial, name, fingerprint, issued_unix, not_after, revoked_unix) "
      "VALUES($1, $2, $3, $4, $5, NULLIF($6, '')::bigint)"};
  for (const auto& [key, value] : rows.meta) db_.run(kMeta, {key, value});
  for (const auto& a : rows.accounts) db_.run(kAccount, {a.name, a.password_hash, a.origin, a.admin ? "t" : "f"});
  for (const auto& u : rows.unlock_requests) db_.run(kUnlock, {u.name, std::to_string(u.at_unix)});
  for (const auto& c : rows.certificates)
    db_.run(kCertificate, {c.serial, c.name, c.fingerprint, std::to_string(c.issued_unix), c.not_after,
                           nullable_text(c.revoked_unix)});
}

// History, offline messages and blocks.
void PostgresStore::insert_traffic_rows(const StoreRows& rows) {
  static constexpr PgStatement kLogin{"bulk_login",
                                      "INSERT INTO logins(id, name, ip, udp_port, login_unix, logout_unix) "
                                      "VALUES($1, $2, $3, $4, $5, NULLIF($6, '')::bigint)"};
  static constexpr PgStatement kMessage{
      "bulk_message",
      "INSERT INTO offline_messages(id, seq, recipient, sender, kind, body, sent_unix) "
      "VALUES($1, $2, $3, $4, $5, $6, $7)"};
  static constexpr PgStatement kCount{"bulk_count", "INSERT INTO offline_counts(recipient, n) VALUES($1, $2)"};
  static constexpr PgStatement kBlock{"bulk_block", "INSERT INTO blocks(blocker, blocked) VALUES($1, $2)"};
  for (const auto& r : rows.logins)
    db_.run(kLogin, {std::to_string(r.id), r.name, r.ip, std::to_string(r.udp_port), std::to_string(r.login_unix),
                     nullable_text(r.logout_unix)});
  for (const auto& m : rows.offline_messages)
    db_.run(kMessage, {std::to_string(m.id), std::to_string(m.seq), m.recipient, m.sender, std::string(1, m.kind),
                       m.text, std::to_string(m.sent_unix)});
  for (const auto& [recipient, n] : rows.offline_counts) db_.run(kCount, {recipient, std::to_string(n)});
  for (const auto& [blocker, blocked] : rows.blocks) db_.run(kBlock, {blocker, blocked});
}

// Rows inserted with their ids leave the id sequence behind: moved past
// the largest id (ALTER SEQUENCE is transactional, setval is not), never
// back.
void PostgresStore::advance_id_sequence(std::string_view table) {
  const auto r =
      db_.exec(fmt::format("SELECT pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) FROM {0}", table));
  const std::string sequence = r.text(0, 0);
  const std::int64_t largest = r.int64(0, 1);
  const auto s = db_.exec("SELECT last_value, is_called FROM " + sequence);
  const std::int64_t next = s.int64(0, 0) + (s.text(0, 1) == "t" ? 1 : 0);
  if (largest >= next) db_.exec(fmt::format("ALTER SEQUENCE {} RESTART WITH {}", sequence, largest + 1));
}

void PostgresStore::insert_rows(const StoreRows& rows) {
  insert_account_rows(rows);
  insert_traffic_rows(rows);
  if (!rows.logins.empty()) advance_id_sequence("logins");
  if (!rows.offline_messages.empty()) advance_id_sequence("offline_messages");
}

}  // namespace edgehub::store
