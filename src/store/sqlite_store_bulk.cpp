// SqliteStore: every row as stored, for `edgehubd migrate`
// (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql).
#include <string>

#include "store/sqlite_store.hpp"
#include "store/store_tables.hpp"

namespace edgehub::store {
namespace {

void bind_nullable(SqliteStatement& st, int index, const std::optional<std::int64_t>& value) {
  if (value)
    st.bind(index, *value);
  else
    st.bind_null(index);
}

}  // namespace

std::vector<TableCount> SqliteStore::count_rows() {
  std::vector<TableCount> out;
  for (const auto table : kDataTables) {
    auto st = db_.prepare("SELECT count(*) FROM " + std::string(table));
    st.step();
    out.push_back({std::string(table), st.column_int(0)});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SqliteStore::load_meta() {
  std::vector<std::pair<std::string, std::string>> out;
  auto st = db_.prepare("SELECT key, value FROM meta ORDER BY key");
  while (st.step()) out.emplace_back(st.column_text(0), st.column_text(1));
  return out;
}

std::vector<UnlockRequest> SqliteStore::load_unlock_requests() {
  std::vector<UnlockRequest> out;
  auto st = db_.prepare("SELECT name, at_unix FROM account_unlocks ORDER BY name");
  while (st.step()) out.push_back({st.column_text(0), st.column_int(1)});
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> SqliteStore::load_offline_counts() {
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto st = db_.prepare("SELECT recipient, n FROM offline_counts ORDER BY recipient");
  while (st.step()) out.emplace_back(st.column_text(0), st.column_int(1));
  return out;
}

std::vector<LoginRecord> SqliteStore::logins_page(std::int64_t after_id, std::size_t limit) {
  std::vector<LoginRecord> out;
  auto st = db_.prepare(
      "SELECT id, name, ip, udp_port, login_unix, logout_unix FROM logins WHERE id > ? ORDER BY id LIMIT ?");
  st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
  while (st.step())
    out.push_back({st.column_int(0), st.column_text(1), st.column_text(2), static_cast<int>(st.column_int(3)),
                   st.column_int(4), st.column_int_or_null(5)});
  return out;
}

std::vector<OfflineMessage> SqliteStore::offline_page(std::int64_t after_id, std::size_t limit) {
  std::vector<OfflineMessage> out;
  auto st = db_.prepare(
      "SELECT id, seq, recipient, sender, kind, body, sent_unix FROM offline_messages WHERE id > ? "
      "ORDER BY id LIMIT ?");
  st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
  while (st.step())
    out.push_back({st.column_int(0), st.column_int(1), st.column_text(2), st.column_text(3),
                   message_kind(st.column_text(4)), st.column_text(5), st.column_int(6)});
  return out;
}

// The accounts and what hangs on them.
void SqliteStore::insert_account_rows(const StoreRows& rows) {
  auto meta = db_.prepare("INSERT INTO meta(key, value) VALUES(?, ?)");
  for (const auto& [key, value] : rows.meta) meta.bind(1, key).bind(2, value).run();
  auto account = db_.prepare("INSERT INTO accounts(name, password_hash, origin, is_admin) VALUES(?, ?, ?, ?)");
  for (const auto& a : rows.accounts)
    account.bind(1, a.name).bind(2, a.password_hash).bind(3, a.origin).bind(4, std::int64_t{a.admin}).run();
  auto unlock = db_.prepare("INSERT INTO account_unlocks(name, at_unix) VALUES(?, ?)");
  for (const auto& u : rows.unlock_requests) unlock.bind(1, u.name).bind(2, u.at_unix).run();
  auto cert = db_.prepare(
      "INSERT INTO device_certificates(serial, name, fingerprint, issued_unix, not_after, revoked_unix) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  for (const auto& c : rows.certificates) {
    cert.bind(1, c.serial).bind(2, c.name).bind(3, c.fingerprint).bind(4, c.issued_unix).bind(5, c.not_after);
    bind_nullable(cert, 6, c.revoked_unix);
    cert.run();
  }
}

// History, offline messages and blocks.
void SqliteStore::insert_traffic_rows(const StoreRows& rows) {
  auto login =
      db_.prepare("INSERT INTO logins(id, name, ip, udp_port, login_unix, logout_unix) VALUES(?, ?, ?, ?, ?, ?)");
  for (const auto& r : rows.logins) {
    login.bind(1, r.id).bind(2, r.name).bind(3, r.ip).bind(4, std::int64_t{r.udp_port}).bind(5, r.login_unix);
    bind_nullable(login, 6, r.logout_unix);
    login.run();
  }
  auto message = db_.prepare(
      "INSERT INTO offline_messages(id, seq, recipient, sender, kind, body, sent_unix) VALUES(?, ?, ?, ?, ?, ?, ?)");
  for (const auto& m : rows.offline_messages)
    message.bind(1, m.id)
        .bind(2, m.seq)
        .bind(3, m.recipient)
        .bind(4, m.sender)
        .bind(5, std::string_view(&m.kind, 1))
        .bind(6, m.text)
        .bind(7, m.sent_unix)
        .run();
  auto count = db_.prepare("INSERT INTO offline_counts(recipient, n) VALUES(?, ?)");
  for (const auto& [recipient, n] : rows.offline_counts) count.bind(1, recipient).bind(2, n).run();
  auto block = db_.prepare("INSERT INTO blocks(blocker, blocked) VALUES(?, ?)");
  for (const auto& [blocker, blocked] : rows.blocks) block.bind(1, blocker).bind(2, blocked).run();
}

void SqliteStore::insert_rows(const StoreRows& rows) {
  insert_account_rows(rows);
  insert_traffic_rows(rows);
}

}  // namespace edgehub::store
