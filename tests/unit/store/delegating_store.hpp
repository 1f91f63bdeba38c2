#pragma once
// A Store that passes every call to a real one: test doubles derive from it
// and override only the calls they make fail.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace edgehub::store::testing {

class DelegatingStore : public Store {
 public:
  explicit DelegatingStore(std::unique_ptr<Store> inner) : db_(std::move(inner)) {}
  void begin() override { db_->begin(); }
  void commit() override { db_->commit(); }
  void rollback() override { db_->rollback(); }
  void savepoint() override { db_->savepoint(); }
  void release_savepoint() override { db_->release_savepoint(); }
  void rollback_to_savepoint() override { db_->rollback_to_savepoint(); }
  std::optional<std::string> meta(std::string_view key) override { return db_->meta(key); }
  void set_meta(std::string_view key, std::string_view value) override { db_->set_meta(key, value); }
  void replace_accounts(const std::vector<Account>& accounts) override { db_->replace_accounts(accounts); }
  std::vector<Account> load_accounts() override { return db_->load_accounts(); }
  void set_account(const Account& account) override { db_->set_account(account); }
  bool delete_account(std::string_view name) override { return db_->delete_account(name); }
  bool set_admin(std::string_view name, bool admin) override { return db_->set_admin(name, admin); }
  void request_unlock(std::string_view name, std::int64_t at) override { db_->request_unlock(name, at); }
  std::vector<std::string> take_unlock_requests() override { return db_->take_unlock_requests(); }
  std::int64_t data_version() override { return db_->data_version(); }
  void add_device_certificate(const DeviceCertificate& c) override { db_->add_device_certificate(c); }
  std::vector<std::string> revoke_device_certificates(std::string_view name, std::int64_t at) override {
    return db_->revoke_device_certificates(name, at);
  }
  std::vector<DeviceCertificate> load_device_certificates() override { return db_->load_device_certificates(); }
  std::vector<std::string> load_revoked_serials() override { return db_->load_revoked_serials(); }
  std::int64_t record_login(const LoginRecord& r) override { return db_->record_login(r); }
  void record_logout(std::int64_t id, std::int64_t at) override { db_->record_logout(id, at); }
  int close_dangling_logins(std::int64_t at) override { return db_->close_dangling_logins(at); }
  std::vector<LoginRecord> logins_since(std::int64_t since) override { return db_->logins_since(since); }
  bool store_offline(const OfflineMessage& m, std::size_t max) override { return db_->store_offline(m, max); }
  std::vector<OfflineMessage> offline_after(std::string_view r, std::int64_t after, std::size_t limit) override {
    return db_->offline_after(r, after, limit);
  }
  std::int64_t max_offline_seq() override { return db_->max_offline_seq(); }
  std::size_t offline_count(std::string_view r) override { return db_->offline_count(r); }
  void delete_offline(std::string_view r, const std::vector<std::int64_t>& ids) override {
    db_->delete_offline(r, ids);
  }
  bool add_block(std::string_view a, std::string_view b) override { return db_->add_block(a, b); }
  bool remove_block(std::string_view a, std::string_view b) override { return db_->remove_block(a, b); }
  std::vector<std::pair<std::string, std::string>> load_blocks() override { return db_->load_blocks(); }
  std::vector<TableCount> count_rows() override { return db_->count_rows(); }
  std::vector<std::pair<std::string, std::string>> load_meta() override { return db_->load_meta(); }
  std::vector<UnlockRequest> load_unlock_requests() override { return db_->load_unlock_requests(); }
  std::vector<std::pair<std::string, std::int64_t>> load_offline_counts() override {
    return db_->load_offline_counts();
  }
  std::vector<LoginRecord> logins_page(std::int64_t after, std::size_t limit) override {
    return db_->logins_page(after, limit);
  }
  std::vector<OfflineMessage> offline_page(std::int64_t after, std::size_t limit) override {
    return db_->offline_page(after, limit);
  }
  void insert_rows(const StoreRows& rows) override { db_->insert_rows(rows); }

 private:
  std::unique_ptr<Store> db_;
};

}  // namespace edgehub::store::testing
