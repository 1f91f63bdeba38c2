#pragma once
// Owns the Store on one dedicated thread. Jobs queue up while a transaction
// commits; the next transaction takes all of them at once (group commit), so
// a burst of N writes costs one fsync, not N. Each job runs inside its own
// savepoint: a failing job is rolled back alone and told so; the others
// commit. `done` runs on the store thread after the commit is durable, so a
// caller that acknowledges from `done` never acknowledges lost data. When
// the disk is full, a batch is run again one job per transaction, so that
// readers are not failed along with the writers that did not fit.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace edgehub::store {

class StoreQueue {
 public:
  struct Job {
    std::function<void(Store&)> work;
    std::function<void(std::exception_ptr)> done;  // nullptr error = committed
  };

  explicit StoreQueue(std::unique_ptr<Store> store, std::size_t max_batch = 1024);
  ~StoreQueue();
  StoreQueue(const StoreQueue&) = delete;
  StoreQueue& operator=(const StoreQueue&) = delete;

  void submit(Job job);
  // Runs everything queued, then stops the thread. Later submits fail their job.
  void stop();

  std::uint64_t transactions() const;
  std::uint64_t jobs_run() const;

 private:
  void run();
  static constexpr int kMaxAttempts = 8;  // of one transaction that starts over
  void run_batch(std::deque<Job>& batch);
  void run_starting_over(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors);
  void run_in_transaction(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors);
  void run_one_by_one(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors);

  std::unique_ptr<Store> store_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::uint64_t transactions_ = 0;
  std::uint64_t jobs_run_ = 0;
  std::thread thread_;
};

}  // namespace edgehub::store
