#pragma once
// The embedded default Store: one SQLite file in WAL mode with
// synchronous=FULL, so a committed transaction survives kill -9 and power
// loss. Not thread-safe by design: StoreQueue owns it on one thread.
#include <filesystem>
#include <memory>

#include "store/sqlite_db.hpp"
#include "store/store.hpp"

namespace edgehub::store {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::filesystem::path& file);

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  std::optional<std::string> meta(std::string_view key) override;
  void set_meta(std::string_view key, std::string_view value) override;

  void replace_accounts(const std::vector<Account>& accounts) override;
  std::vector<Account> load_accounts() override;

  std::int64_t record_login(const LoginRecord& record) override;
  void record_logout(std::int64_t id, std::int64_t logout_unix) override;
  int close_dangling_logins(std::int64_t at_unix) override;
  std::vector<LoginRecord> logins_since(std::int64_t since_unix) override;

  SqliteDb& db() { return db_; }

 private:
  void migrate();

  SqliteDb db_;
};

}  // namespace edgehub::store
