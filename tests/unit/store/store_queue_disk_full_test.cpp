// A commit that hits a full disk fails only the jobs that wrote: the batch
// is run again one job per transaction (docs/SECURITY.md#a-full-disk).
#include <gtest/gtest.h>

#include <future>

#include "store/store_queue.hpp"
#include "unit/store/delegating_store.hpp"
#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

// A real store whose COMMIT fails as a full disk's does whenever the
// transaction wrote something (SQLite writes the WAL frames at commit;
// PostgreSQL's WAL is written as the transaction goes).
class FullDiskStore final : public testing::DelegatingStore {
 public:
  using DelegatingStore::DelegatingStore;
  void begin() override { wrote_ = false, DelegatingStore::begin(); }
  void commit() override {
    if (wrote_) throw DiskFull("sql: database or disk is full");
    DelegatingStore::commit();
  }
  void set_meta(std::string_view key, std::string_view value) override {
    wrote(), DelegatingStore::set_meta(key, value);
  }
  void replace_accounts(const std::vector<Account>& accounts) override {
    wrote(), DelegatingStore::replace_accounts(accounts);
  }
  void set_account(const Account& account) override { wrote(), DelegatingStore::set_account(account); }
  bool delete_account(std::string_view name) override { return wrote(), DelegatingStore::delete_account(name); }
  bool set_admin(std::string_view name, bool admin) override {
    return wrote(), DelegatingStore::set_admin(name, admin);
  }
  void request_unlock(std::string_view name, std::int64_t at) override {
    wrote(), DelegatingStore::request_unlock(name, at);
  }
  std::vector<std::string> take_unlock_requests() override { return wrote(), DelegatingStore::take_unlock_requests(); }
  void add_device_certificate(const DeviceCertificate& c) override {
    wrote(), DelegatingStore::add_device_certificate(c);
  }
  std::vector<std::string> revoke_device_certificates(std::string_view name, std::int64_t at) override {
    return wrote(), DelegatingStore::revoke_device_certificates(name, at);
  }
  std::int64_t record_login(const LoginRecord& r) override { return wrote(), DelegatingStore::record_login(r); }
  void record_logout(std::int64_t id, std::int64_t at) override { wrote(), DelegatingStore::record_logout(id, at); }
  int close_dangling_logins(std::int64_t at) override { return wrote(), DelegatingStore::close_dangling_logins(at); }
  bool store_offline(const OfflineMessage& m, std::size_t max) override {
    return wrote(), DelegatingStore::store_offline(m, max);
  }
  void delete_offline(std::string_view r, const std::vector<std::int64_t>& ids) override {
    wrote(), DelegatingStore::delete_offline(r, ids);
  }
  bool add_block(std::string_view a, std::string_view b) override { return wrote(), DelegatingStore::add_block(a, b); }
  bool remove_block(std::string_view a, std::string_view b) override {
    return wrote(), DelegatingStore::remove_block(a, b);
  }
  void insert_rows(const StoreRows& rows) override { wrote(), DelegatingStore::insert_rows(rows); }

 private:
  void wrote() { wrote_ = true; }
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
