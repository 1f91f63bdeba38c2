#include "store/store_queue.hpp"

#include <chrono>
#include <stdexcept>

#include "common/metrics/catalog.hpp"

namespace edgehub::store {
namespace {

// A failed commit fails every job of the batch, each with an exception of
// its own: one exception shared by several jobs' threads is freed by
// whichever drops it last, here or there, through libstdc++'s reference
// counts, which ThreadSanitizer cannot see (it reported the free here racing
// with a network thread's what(), with the database stopped under load).
std::exception_ptr copy_for_one_job(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const DiskFull& e) {
    return std::make_exception_ptr(DiskFull(e.what()));
  } catch (const std::exception& e) {
    return std::make_exception_ptr(std::runtime_error(e.what()));
  } catch (...) {
    return std::make_exception_ptr(std::runtime_error("the store's transaction failed"));
  }
}

}  // namespace

StoreQueue::StoreQueue(std::unique_ptr<Store> store, std::size_t max_batch)
    : store_(std::move(store)), max_batch_(max_batch), thread_([this] { run(); }) {}

StoreQueue::~StoreQueue() { stop(); }

void StoreQueue::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      metrics::server_metrics().store_queue_depth->add();
      wake_.notify_one();
      return;
    }
  }
  if (job.done) job.done(std::make_exception_ptr(std::runtime_error("store is shutting down")));
}

void StoreQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

std::uint64_t StoreQueue::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}

std::uint64_t StoreQueue::jobs_run() const {
  std::lock_guard lock(mutex_);
  return jobs_run_;
}

void StoreQueue::run() {
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    metrics::server_metrics().store_queue_depth->sub(static_cast<std::int64_t>(batch.size()));
    run_batch(batch);
  }
}

void StoreQueue::run_batch(std::deque<Job>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  std::exception_ptr commit_error;
  const auto began = std::chrono::steady_clock::now();
  try {
    run_starting_over(batch, errors);
  } catch (const DiskFull&) {
    // One job's writes did not fit, and the whole batch was rolled back
    // with them. Alone, the jobs that only read (a login's offline
    // messages) still succeed on a full disk; each writer gets the error
    // (docs/SECURITY.md#a-full-disk). Running a job again is safe: its
    // first run left nothing behind.
    run_one_by_one(batch, errors);
  } catch (...) {
    commit_error = std::current_exception();
  }
  const auto& counts = metrics::server_metrics();
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began);
  counts.store_commit_seconds->observe(static_cast<std::uint64_t>(took.count()));
  counts.store_jobs->inc(batch.size());
  {
    std::lock_guard lock(mutex_);
    ++transactions_;
    jobs_run_ += batch.size();
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].done)  // see hub/core/async.hpp
      batch[i].done(commit_error ? copy_for_one_job(commit_error) : std::move(errors[i]));
}

// A transaction the store asks to start over (TransactionStartOver) is run
// again; it was rolled back, so its first attempt left nothing behind. Each
// attempt takes up front what the last one needed, so a few are enough.
void StoreQueue::run_starting_over(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors) {
  for (int attempt = 1;; ++attempt) {
    try {
      run_in_transaction(batch, errors);
      return;
    } catch (const TransactionStartOver&) {
      if (attempt == kMaxAttempts) throw;
      metrics::server_metrics().store_start_overs->inc();
      std::fill(errors.begin(), errors.end(), nullptr);
    }
  }
}

// Rolls back and rethrows if the transaction as a whole fails.
void StoreQueue::run_in_transaction(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors) {
  try {
    store_->begin();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      store_->savepoint();
      try {
        batch[i].work(*store_);
        store_->release_savepoint();
      } catch (const TransactionStartOver&) {
        throw;  // the whole transaction, not this job
      } catch (...) {
        errors[i] = std::current_exception();
        store_->rollback_to_savepoint();
      }
    }
    store_->commit();
  } catch (...) {
    rollback_after_failure(*store_);
    throw;
  }
}

void StoreQueue::run_one_by_one(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::deque<Job> one;
    one.push_back(std::move(batch[i]));
    std::vector<std::exception_ptr> error(1);
    try {
      run_starting_over(one, error);
    } catch (...) {
      error[0] = std::current_exception();
    }
    batch[i] = std::move(one.front());
    errors[i] = std::move(error[0]);
  }
}

}  // namespace edgehub::store
