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
  ~SqliteStore() override;  // sqlite_store_messages.cpp

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  std::optional<std::string> meta(std::string_view key) override;
  void set_meta(std::string_view key, std::string_view value) override;

  // Accounts: sqlite_store_accounts.cpp.
  void replace_accounts(const std::vector<Account>& accounts) override;
  std::vector<Account> load_accounts() override;
  void set_account(const Account& account) override;
  bool delete_account(std::string_view name) override;
  bool set_admin(std::string_view name, bool admin) override;
  void request_unlock(std::string_view name, std::int64_t at_unix) override;
  std::vector<std::string> take_unlock_requests() override;
  std::int64_t data_version() override;

  // Device certificates: sqlite_store_certificates.cpp.
  void add_device_certificate(const DeviceCertificate& certificate) override;
  std::vector<std::string> revoke_device_certificates(std::string_view name, std::int64_t at_unix) override;
  std::vector<DeviceCertificate> load_device_certificates() override;
  std::vector<std::string> load_revoked_serials() override;

  std::int64_t record_login(const LoginRecord& record) override;
  void record_logout(std::int64_t id, std::int64_t logout_unix) override;
  int close_dangling_logins(std::int64_t at_unix) override;
  std::vector<LoginRecord> logins_since(std::int64_t since_unix) override;

  // Offline messages and blocks: sqlite_store_messages.cpp.
  bool store_offline(const OfflineMessage& message, std::size_t max_queued) override;
  std::vector<OfflineMessage> offline_after(std::string_view recipient, std::int64_t after_seq,
                                            std::size_t limit) override;
  std::int64_t max_offline_seq() override;
  std::size_t offline_count(std::string_view recipient) override;
  void delete_offline(std::string_view recipient, const std::vector<std::int64_t>& ids) override;
  bool add_block(std::string_view blocker, std::string_view blocked) override;
  bool remove_block(std::string_view blocker, std::string_view blocked) override;
  std::vector<std::pair<std::string, std::string>> load_blocks() override;

  // Bulk copy (edgehubd migrate): sqlite_store_bulk.cpp.
  std::vector<TableCount> count_rows() override;
  std::vector<std::pair<std::string, std::string>> load_meta() override;
  std::vector<UnlockRequest> load_unlock_requests() override;
  std::vector<std::pair<std::string, std::int64_t>> load_offline_counts() override;
  std::vector<LoginRecord> logins_page(std::int64_t after_id, std::size_t limit) override;
  std::vector<OfflineMessage> offline_page(std::int64_t after_id, std::size_t limit) override;
  void insert_rows(const StoreRows& rows) override;

  SqliteDb& db() { return db_; }
  // Opened on a full disk (in exclusive locking mode): reads work, writes
  // throw DiskFull until there is room.
  bool read_mostly() const { return read_mostly_; }

 private:
  struct MessageStatements;  // prepared once: messaging is the hot write path
  MessageStatements& message_statements();
  void configure();
  void migrate();
  void insert_account_rows(const StoreRows& rows);  // sqlite_store_bulk.cpp
  void insert_traffic_rows(const StoreRows& rows);

  SqliteDb db_;
  bool read_mostly_ = false;
  std::shared_ptr<MessageStatements> message_statements_;  // shared_ptr: the type is incomplete here
};

}  // namespace edgehub::store
