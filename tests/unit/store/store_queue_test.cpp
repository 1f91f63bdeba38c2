#include "store/store_queue.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>

#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

using namespace std::chrono_literals;

using testing::login;

template <typename Backend>
class StoreQueueTest : public testing::StoreTest<Backend> {};
TYPED_TEST_SUITE(StoreQueueTest, testing::Backends, testing::BackendNames);

// A one-shot gate: the store thread waits in a job until the test opens it,
// so that the jobs submitted meanwhile pile up into one batch.
class Gate {
 public:
  void open() {
    std::lock_guard lock(m_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(m_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

// reader: a second connection, which sees only committed data.
std::vector<std::string> logged_names(Store& reader) {
  std::vector<std::string> out;
  for (const auto& r : reader.logins_since(0)) out.push_back(r.name);
  return out;
}

// Keeps the store thread busy in a job until GATE opens, so that what is
// submitted meanwhile piles up into one batch; returns once it is busy.
void hold_store_thread(StoreQueue& q, Gate& gate) {
  auto started = std::make_shared<std::promise<void>>();
  auto busy = started->get_future();
  q.submit({[started, &gate](Store&) {
              started->set_value();
              gate.wait();
            },
            nullptr});
  busy.wait();
}

TYPED_TEST(StoreQueueTest, GroupCommitBatchesManyJobs) {
  Gate gate;
  constexpr int kJobs = 200;
  std::vector<std::future<void>> done;
  {
    StoreQueue q(this->open());
    hold_store_thread(q, gate);
    for (int i = 0; i < kJobs; ++i) {
      auto p = std::make_shared<std::promise<void>>();
      done.push_back(p->get_future());
      q.submit({[i](Store& s) { s.record_login(login("n" + std::to_string(i))); },
                [p](std::exception_ptr e) {
                  if (e)
                    p->set_exception(e);
                  else
                    p->set_value();
                }});
    }
    gate.open();
    for (auto& f : done) f.get();  // throws if a job failed
    EXPECT_EQ(q.jobs_run(), static_cast<std::uint64_t>(kJobs + 1));
    // One transaction for the gate job, then the queued jobs together.
    EXPECT_EQ(q.transactions(), 2u);
  }
  EXPECT_EQ(logged_names(*this->open()).size(), static_cast<std::size_t>(kJobs));
}

TYPED_TEST(StoreQueueTest, MaxBatchSplitsTransactions) {
  Gate gate;
  StoreQueue q(this->open(), 10);
  hold_store_thread(q, gate);
  auto last = std::make_shared<std::promise<void>>();
  for (int i = 0; i < 25; ++i)
    q.submit({[](Store& s) { s.record_login(login("x")); },
              i == 24 ? std::function<void(std::exception_ptr)>([last](std::exception_ptr) { last->set_value(); })
                      : nullptr});
  gate.open();
  last->get_future().wait();
  EXPECT_EQ(q.transactions(), 1u + 3u);  // 10 + 10 + 5
}

TYPED_TEST(StoreQueueTest, FailingJobIsRolledBackAlone) {
  Gate gate;
  std::exception_ptr errors[3];
  std::promise<void> all_done;
  {
    StoreQueue q(this->open());
    hold_store_thread(q, gate);
    q.submit({[](Store& s) { s.record_login(login("before")); }, [&](std::exception_ptr e) { errors[0] = e; }});
    q.submit({[](Store& s) {
                s.record_login(login("failed"));  // written, then undone with its savepoint
                throw std::runtime_error("job failed on purpose");
              },
              [&](std::exception_ptr e) { errors[1] = e; }});
    q.submit({[](Store& s) { s.record_login(login("after")); },
              [&](std::exception_ptr e) {
                errors[2] = e;
                all_done.set_value();
              }});
    gate.open();
    all_done.get_future().wait();
    EXPECT_EQ(q.transactions(), 2u) << "the three jobs shared one transaction";
  }
  EXPECT_FALSE(errors[0]);
  ASSERT_TRUE(errors[1]);
  EXPECT_THROW(std::rethrow_exception(errors[1]), std::runtime_error);
  EXPECT_FALSE(errors[2]);
  EXPECT_EQ(logged_names(*this->open()), (std::vector<std::string>{"before", "after"}));
}

TYPED_TEST(StoreQueueTest, ATransactionThatMustStartOverIsRunAgainWholeOnce) {
  Gate gate;
  int attempts = 0;
  std::exception_ptr errors[2];
  std::promise<void> all_done;
  {
    StoreQueue q(this->open());
    hold_store_thread(q, gate);
    q.submit({[](Store& s) { s.record_login(login("other")); }, [&](std::exception_ptr e) { errors[0] = e; }});
    q.submit({[&](Store& s) {
                s.record_login(login("retried"));
                if (++attempts == 1) throw TransactionStartOver("locks out of order");
              },
              [&](std::exception_ptr e) {
                errors[1] = e;
                all_done.set_value();
              }});
    gate.open();
    all_done.get_future().wait();
  }
  EXPECT_EQ(attempts, 2);
  EXPECT_FALSE(errors[0]);
  EXPECT_FALSE(errors[1]);
  EXPECT_EQ(logged_names(*this->open()), (std::vector<std::string>{"other", "retried"}))
      << "the first attempt left nothing behind";
}

TYPED_TEST(StoreQueueTest, ATransactionThatStartsOverForeverFailsItsJobs) {
  StoreQueue q(this->open());
  std::promise<std::exception_ptr> done;
  int attempts = 0;
  q.submit({[&](Store&) {
              ++attempts;
              throw TransactionStartOver("locks out of order");
            },
            [&](std::exception_ptr e) { done.set_value(e); }});
  const std::exception_ptr error = done.get_future().get();
  ASSERT_TRUE(error);
  EXPECT_THROW(std::rethrow_exception(error), std::runtime_error);
  EXPECT_GT(attempts, 1);
  EXPECT_LE(attempts, 8);
}

TYPED_TEST(StoreQueueTest, DoneRunsAfterTheCommitIsVisible) {
  StoreQueue q(this->open());
  std::promise<std::vector<std::string>> seen;
  q.submit({[](Store& s) { s.record_login(login("durable")); },
            [&](std::exception_ptr) { seen.set_value(logged_names(*this->open())); }});
  EXPECT_EQ(seen.get_future().get(), (std::vector<std::string>{"durable"}));
}

TYPED_TEST(StoreQueueTest, StopRunsWhatIsQueuedThenRefuses) {
  StoreQueue q(this->open());
  int committed = 0;
  for (int i = 0; i < 20; ++i)
    q.submit({[](Store& s) { s.record_login(login("q")); }, [&](std::exception_ptr e) { committed += e ? 0 : 1; }});
  q.stop();
  EXPECT_EQ(committed, 20);
  std::exception_ptr refused;
  bool called = false;
  q.submit({[](Store&) { FAIL() << "must not run after stop"; },
            [&](std::exception_ptr e) {
              called = true;
              refused = e;
            }});
  EXPECT_TRUE(called);
  EXPECT_TRUE(refused);
  EXPECT_EQ(logged_names(*this->open()).size(), 20u);
}

}  // namespace
}  // namespace edgehub::store
