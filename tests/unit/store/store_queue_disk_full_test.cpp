// A commit that hits a full disk fails only the jobs that wrote: the batch
// is run again one job per transaction (docs/SECURITY.md#a-full-disk).
#include <gtest/gtest.h>

#include <future>

#include "store/store_queue.hpp"
#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

// A real store whose COMMIT fails as a full disk's does whenever the
// transaction wrote something (SQLite writes the WAL frames at commit;
// PostgreSQL's WAL is written as the transaction goes).
class FullDiskStore final : public Store {
 public:
  explicit FullDiskStore(std::unique_ptr<Store> inner) : db_(std::move(inner)) {}
  void begin() override { wrote_ = false, db_->begin(); }
  void commit() override {
    if (wrote_) throw DiskFull("sql: database or disk is full");
    db_->commit();
  }
  void rollback() override { db_->rollback(); }
  void savepoint() override { db_->savepoint(); }
  void release_savepoint() override { db_->release_savepoint(); }
  void rollback_to_savepoint() override { db_->rollback_to_savepoint(); }
  std::optional<std::string> meta(std::string_view key) override { return db_->meta(key); }
  void set_meta(std::string_view key, std::string_view value) override { wrote(), db_->set_meta(key, value); }
  void replace_accounts(const std::vector<Account>& accounts) override { wrote(), db_->replace_accounts(accounts); }
  std::vector<Account> load_accounts() override { return db_->load_accounts(); }
  void set_account(const Account& account) override { wrote(), db_->set_account(account); }
  bool delete_account(std::string_view name) override { return wrote(), db_->delete_account(name); }
  bool set_admin(std::string_view name, bool admin) override { return wrote(), db_->set_admin(name, admin); }
  void request_unlock(std::string_view name, std::int64_t at) override { wrote(), db_->request_unlock(name, at); }
  std::vector<std::string> take_unlock_requests() override { return wrote(), db_->take_unlock_requests(); }
  std::int64_t data_version() override { return db_->data_version(); }
  void add_device_certificate(const DeviceCertificate& c) override { wrote(), db_->add_device_certificate(c); }
  std::vector<std::string> revoke_device_certificates(std::string_view name, std::int64_t at) override {
    return wrote(), db_->revoke_device_certificates(name, at);
  }
  std::vector<DeviceCertificate> load_device_certificates() override { return db_->load_device_certificates(); }
  std::vector<std::string> load_revoked_serials() override { return db_->load_revoked_serials(); }
  std::int64_t record_login(const LoginRecord& r) override { return wrote(), db_->record_login(r); }
  void record_logout(std::int64_t id, std::int64_t at) override { wrote(), db_->record_logout(id, at); }
  int close_dangling_logins(std::int64_t at) override { return wrote(), db_->close_dangling_logins(at); }
  std::vector<LoginRecord> logins_since(std::int64_t since) override { return db_->logins_since(since); }
  bool store_offline(const OfflineMessage& m, std::size_t max) override { return wrote(), db_->store_offline(m, max); }
  std::vector<OfflineMessage> offline_after(std::string_view r, std::int64_t after, std::size_t limit) override {
    return db_->offline_after(r, after, limit);
  }
  std::int64_t max_offline_seq() override { return db_->max_offline_seq(); }
  std::size_t offline_count(std::string_view r) override { return db_->offline_count(r); }
  void delete_offline(std::string_view r, const std::vector<std::int64_t>& ids) override {
    wrote(), db_->delete_offline(r, ids);
  }
  bool add_block(std::string_view a, std::string_view b) override { return wrote(), db_->add_block(a, b); }
  bool remove_block(std::string_view a, std::string_view b) override { return wrote(), db_->remove_block(a, b); }
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
  void insert_rows(const StoreRows& rows) override { wrote(), db_->insert_rows(rows); }

 private:
  void wrote() { wrote_ = true; }
  std::unique_ptr<Store> db_;
  bool wrote_ = false;
};

template <typename Backend>
class StoreQueueDiskFull : public testing::StoreTest<Backend> {};
TYPED_TEST_SUITE(StoreQueueDiskFull, testing::Backends, testing::BackendNames);

TYPED_TEST(StoreQueueDiskFull, ReadersBatchedWithAWriterStillSucceed) {
  std::promise<void> hold;
  std::shared_future<void> held = hold.get_future().share();
  std::vector<std::future<std::exception_ptr>> results;
  {
    StoreQueue q(std::make_unique<FullDiskStore>(this->open()));
    q.submit({[held](Store&) { held.wait(); }, nullptr});  // the jobs below pile up into one batch
    auto submit = [&](std::function<void(Store&)> work) {
      auto done = std::make_shared<std::promise<std::exception_ptr>>();
      results.push_back(done->get_future());
      q.submit({std::move(work), [done](std::exception_ptr e) { done->set_value(e); }});
    };
    submit([](Store& s) { s.offline_after("bob", 0, 10); });
    submit([](Store& s) { s.record_login({0, "bob", "127.0.0.1", 0, 1, std::nullopt}); });
    submit([](Store& s) { s.offline_count("bob"); });
    hold.set_value();
  }
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].get(), nullptr) << "a reader is not failed with the writer";
  const auto error = results[1].get();
  ASSERT_NE(error, nullptr);
  EXPECT_THROW(std::rethrow_exception(error), DiskFull);
  EXPECT_EQ(results[2].get(), nullptr);
}

}  // namespace
}  // namespace edgehub::store
