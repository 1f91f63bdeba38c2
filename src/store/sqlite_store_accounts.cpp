// Accounts in SQLite (docs/SECURITY.md#accounts): imported from the
// credentials file (origin 'file') or set with `edgehubd user` ('admin').
#include "store/sqlite_store.hpp"

namespace edgehub::store {

// The file's accounts replace the file's earlier ones; an admin account the
// file names is taken over by the file (it is the newer, explicit import).
void SqliteStore::replace_accounts(const std::vector<Account>& accounts) {
  db_.exec("DELETE FROM accounts WHERE origin = 'file'");
  auto st = db_.prepare(
      "INSERT INTO accounts(name, password_hash, origin) VALUES(?, ?, 'file') "
      "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, origin = 'file'");
  for (const auto& a : accounts) st.bind(1, a.name).bind(2, a.password_hash).run();
}

std::vector<Account> SqliteStore::load_accounts() {
  std::vector<Account> out;
  auto st = db_.prepare("SELECT name, password_hash, origin, is_admin FROM accounts ORDER BY name");
  while (st.step()) out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_int(3) != 0});
  return out;
}

void SqliteStore::set_account(const Account& account) {
  db_.prepare(
         "INSERT INTO accounts(name, password_hash, origin) VALUES(?, ?, ?) "
         "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, origin = excluded.origin")
      .bind(1, account.name)
      .bind(2, account.password_hash)
      .bind(3, account.origin == "cert" ? "cert" : "admin")
      .run();
}

bool SqliteStore::delete_account(std::string_view name) {
  db_.prepare("DELETE FROM accounts WHERE name = ?").bind(1, name).run();
  return db_.changes() > 0;
}

bool SqliteStore::set_admin(std::string_view name, bool admin) {
  db_.prepare("UPDATE accounts SET is_admin = ? WHERE name = ?").bind(1, admin ? 1 : 0).bind(2, name).run();
  return db_.changes() > 0;
}

void SqliteStore::request_unlock(std::string_view name, std::int64_t at_unix) {
  db_.prepare("INSERT OR REPLACE INTO account_unlocks(name, at_unix) VALUES(?, ?)")
      .bind(1, name)
      .bind(2, at_unix)
      .run();
}

std::vector<std::string> SqliteStore::take_unlock_requests() {
  std::vector<std::string> names;
  auto st = db_.prepare("SELECT name FROM account_unlocks ORDER BY at_unix");
  while (st.step()) names.push_back(st.column_text(0));
  if (!names.empty()) db_.exec("DELETE FROM account_unlocks");
  return names;
}

std::int64_t SqliteStore::data_version() {
  auto st = db_.prepare("PRAGMA data_version");
  st.step();
  return st.column_int(0);
}

}  // namespace edgehub::store
