#pragma once
// The storage interface the hub sees. SQLite implements it now
// (sqlite_store.hpp); PostgreSQL can implement it later without the hub
// changing. Calls are synchronous and run only on the store thread
// (StoreQueue), never on a network thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::store {

struct Account {
  std::string name;
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
};

struct LoginRecord {
  std::int64_t id = 0;
  std::string name;
  std::string ip;
  int udp_port = 0;
  std::int64_t login_unix = 0;
  std::optional<std::int64_t> logout_unix;
};

class Store {
 public:
  virtual ~Store() = default;

  // Transactions. StoreQueue groups many jobs into one transaction (group
  // commit) and isolates each job with a savepoint.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  virtual std::optional<std::string> meta(std::string_view key) = 0;
  virtual void set_meta(std::string_view key, std::string_view value) = 0;

  // Accounts: replaced as a whole when the credentials file changes.
  virtual void replace_accounts(const std::vector<Account>& accounts) = 0;
  virtual std::vector<Account> load_accounts() = 0;

  // Login history (presence over time).
  virtual std::int64_t record_login(const LoginRecord& record) = 0;
  virtual void record_logout(std::int64_t id, std::int64_t logout_unix) = 0;
  // After a crash, sessions still marked open are closed at `at_unix`.
  virtual int close_dangling_logins(std::int64_t at_unix) = 0;
  virtual std::vector<LoginRecord> logins_since(std::int64_t since_unix) = 0;
};

}  // namespace edgehub::store
