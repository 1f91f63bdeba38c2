// Accounts in PostgreSQL (docs/SECURITY.md#accounts): the same rules as
// sqlite_store_accounts.cpp.
#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "store/postgres/postgres_store.hpp"

namespace edgehub::store {

namespace {

// A text[] literal PostgreSQL reads back exactly: every element quoted, with
// its '"' and '\\' escaped (hashes hold '$', ',' and '=').
std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// The last line for a name wins, as when each was upserted in turn (one
// INSERT ... ON CONFLICT may not touch a row twice).
std::vector<const Account*> last_of_each_name(const std::vector<Account>& accounts) {
  std::unordered_set<std::string_view> seen;
  std::vector<const Account*> out;
  for (auto it = accounts.rbegin(); it != accounts.rend(); ++it)
    if (seen.insert(it->name).second) out.push_back(&*it);
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

// The file's accounts replace the file's earlier ones; an admin account the
// file names is taken over by the file (it is the newer, explicit import).
// One statement per page of accounts, not per account: the accounts trigger
// adds one to data_changes' single row per statement, and inside one
// transaction each such update scans every row version the earlier ones
// left, so an upsert per account made importing 100,000 of them quadratic
// (more than ten minutes; bench/cluster_scale_bench.sh found it).
void PostgresStore::replace_accounts(const std::vector<Account>& accounts) {
  static constexpr PgStatement kUpsert{
      "accounts_import_page",
      "INSERT INTO accounts(name, password_hash, origin) "
      "SELECT n, h, 'file' FROM unnest($1::text[], $2::text[]) AS t(n, h) "
      "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, origin = 'file'"};
  constexpr std::size_t kPage = 1000;
  db_.exec("DELETE FROM accounts WHERE origin = 'file'");
  const auto unique = last_of_each_name(accounts);
  for (std::size_t first = 0; first < unique.size(); first += kPage) {
    std::vector<std::string> names, hashes;
    for (std::size_t i = first; i < std::min(first + kPage, unique.size()); ++i) {
      names.push_back(unique[i]->name);
      hashes.push_back(unique[i]->password_hash);
    }
    db_.run(kUpsert, {text_array(names), text_array(hashes)});
  }
}

std::vector<Account> PostgresStore::load_accounts() {
  static constexpr PgStatement kAll{"accounts_all",
                                    "SELECT name, password_hash, origin, is_admin FROM accounts ORDER BY name"};
  const auto r = db_.run(kAll);
  std::vector<Account> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3) == "t"});
  return out;
}

void PostgresStore::set_account(const Account& account) {
  static constexpr PgStatement kUpsert{
      "accounts_set",
      "INSERT INTO accounts(name, password_hash, origin) VALUES($1, $2, $3) "
      "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, origin = excluded.origin"};
  db_.run(kUpsert, {account.name, account.password_hash, account.origin == "cert" ? "cert" : "admin"});
}

bool PostgresStore::delete_account(std::string_view name) {
  static constexpr PgStatement kDelete{"accounts_delete", "DELETE FROM accounts WHERE name = $1"};
  return db_.run(kDelete, {std::string(name)}).affected() > 0;
}

bool PostgresStore::set_admin(std::string_view name, bool admin) {
  static constexpr PgStatement kUpdate{"accounts_admin", "UPDATE accounts SET is_admin = $1 WHERE name = $2"};
  return db_.run(kUpdate, {admin ? "true" : "false", std::string(name)}).affected() > 0;
}

void PostgresStore::request_unlock(std::string_view name, std::int64_t at_unix) {
  static constexpr PgStatement kUpsert{
      "unlock_request",
      "INSERT INTO account_unlocks(name, at_unix) VALUES($1, $2) ON CONFLICT(name) DO UPDATE SET at_unix = "
      "excluded.at_unix"};
  db_.run(kUpsert, {std::string(name), std::to_string(at_unix)});
}

std::vector<std::string> PostgresStore::take_unlock_requests() {
  static constexpr PgStatement kTake{
      "unlock_take",
      "WITH taken AS (DELETE FROM account_unlocks RETURNING name, at_unix) SELECT name FROM taken ORDER BY at_unix, "
      "name"};
  return db_.run(kTake).column_texts(0);
}

// Changes by other connections only (see data_changes in postgres_schema.cpp).
std::int64_t PostgresStore::data_version() {
  static constexpr PgStatement kVersion{
      "data_version",
      "SELECT n - COALESCE(NULLIF(current_setting('edgehub.own_changes', true), ''), '0')::bigint FROM data_changes"};
  return db_.run(kVersion).int64(0, 0);
}

}  // namespace edgehub::store
