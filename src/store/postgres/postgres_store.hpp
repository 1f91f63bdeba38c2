#pragma once
// The Store on PostgreSQL 15 (edgehubd --database postgresql://...,
// docs/CLUSTER.md): the same data as SqliteStore, through one libpq
// connection owned by the store thread (StoreQueue), with statements
// prepared once per connection. Not thread-safe by design, like SqliteStore.
#include <string>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/recipient_locks.hpp"
#include "store/store.hpp"

namespace edgehub::store {

class PostgresStore final : public Store {
 public:
  // What the constructor does with the transaction that migrated the
  // schema: commits it, or leaves it open for the caller, who then commits
  // the schema and its own work together or neither (`edgehubd migrate`).
  enum class SchemaTransaction { Commit, KeepOpen };

  // Connects and migrates the schema to this build's version; throws
  // std::runtime_error when the server cannot be reached or its schema is
  // newer than this build knows.
  explicit PostgresStore(const std::string& conninfo, SchemaTransaction schema = SchemaTransaction::Commit);

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  std::optional<std::string> meta(std::string_view key) override;
  void set_meta(std::string_view key, std::string_view value) override;

  // Accounts: postgres_store_accounts.cpp.
  void replace_accounts(const std::vector<Account>& accounts) override;
  std::vector<Account> load_accounts() override;
  void set_account(const Account& account) override;
  bool delete_account(std::string_view name) override;
  bool set_admin(std::string_view name, bool admin) override;
  void request_unlock(std::string_view name, std::int64_t at_unix) override;
  std::vector<std::string> take_unlock_requests() override;
  std::int64_t data_version() override;

  // Device certificates: postgres_store_certificates.cpp.
  void add_device_certificate(const DeviceCertificate& certificate) override;
  std::vector<std::string> revoke_device_certificates(std::string_view name, std::int64_t at_unix) override;
  std::vector<DeviceCertificate> load_device_certificates() override;
  std::vector<std::string> load_revoked_serials() override;

  std::int64_t record_login(const LoginRecord& record) override;
  void record_logout(std::int64_t id, std::int64_t logout_unix) override;
  int close_dangling_logins(std::int64_t at_unix) override;
  std::vector<LoginRecord> logins_since(std::int64_t since_unix) override;

  // Offline messages and blocks: postgres_store_messages.cpp.
  bool store_offline(const OfflineMessage& message, std::size_t max_queued) override;
  std::vector<OfflineMessage> offline_after(std::string_view recipient, std::int64_t after_seq,
                                            std::size_t limit) override;
  std::int64_t max_offline_seq() override;
  std::size_t offline_count(std::string_view recipient) override;
  void delete_offline(std::string_view recipient, const std::vector<std::int64_t>& ids) override;
  bool add_block(std::string_view blocker, std::string_view blocked) override;
  bool remove_block(std::string_view blocker, std::string_view blocked) override;
  std::vector<std::pair<std::string, std::string>> load_blocks() override;

  // Bulk copy (edgehubd migrate): postgres_store_bulk.cpp.
  std::vector<TableCount> count_rows() override;
  std::vector<std::pair<std::string, std::string>> load_meta() override;
  std::vector<UnlockRequest> load_unlock_requests() override;
  std::vector<std::pair<std::string, std::int64_t>> load_offline_counts() override;
  std::vector<LoginRecord> logins_page(std::int64_t after_id, std::size_t limit) override;
  std::vector<OfflineMessage> offline_page(std::int64_t after_id, std::size_t limit) override;
  void insert_rows(const StoreRows& rows) override;

  // The schema version the database is at (schema_version).
  std::int64_t schema_version();
  PgConnection& connection() { return db_; }

 private:
  void migrate(SchemaTransaction schema);
  void insert_account_rows(const StoreRows& rows);  // postgres_store_bulk.cpp
  void insert_traffic_rows(const StoreRows& rows);
  void advance_id_sequence(std::string_view table);
  PgConnection db_;
  RecipientLocks recipient_locks_{db_};  // on the offline counts (recipient_locks.hpp)
};

}  // namespace edgehub::store
