#include "hub/auth/password_batch.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "hub/auth/password_hasher.hpp"

namespace edgehub::hub {
namespace {

constexpr std::size_t kArgon2MemoryBudget = std::size_t{1} << 30;
constexpr std::chrono::milliseconds kStopPoll{100};

// Shared by the hashing threads: which password is next, how many are done.
struct Batch {
  Batch(const std::vector<std::string>& p, const Argon2Cost& c) : passwords(p), cost(c), hashes(p.size()) {}

  const std::vector<std::string>& passwords;
  const Argon2Cost& cost;
  std::vector<std::string> hashes;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abort{false};
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t done = 0;
  std::exception_ptr error;

  void work() {
    while (!abort.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= passwords.size()) return;
      std::exception_ptr failed;
      try {
        hashes[i] = hash_password(passwords[i], cost);
      } catch (...) {
        failed = std::current_exception();
      }
      std::lock_guard lock(mutex);
      ++done;
      if (failed && !error) error = failed;
      if (failed) abort = true;
      changed.notify_all();
    }
  }
};

}  // namespace

std::size_t hashing_threads(std::size_t passwords, const Argon2Cost& cost) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t by_memory =
      std::max<std::size_t>(1, kArgon2MemoryBudget / std::max<std::size_t>(1, cost.mem_bytes));
  return std::max<std::size_t>(1, std::min({cores, by_memory, passwords}));
}

std::optional<std::vector<std::string>> hash_passwords(const std::vector<std::string>& passwords,
                                                       const Argon2Cost& cost, const BatchControl& control) {
  if (control.progress) control.progress(0, passwords.size());
  Batch batch(passwords, cost);
  std::vector<std::jthread> threads;
  for (std::size_t t = 0; t < hashing_threads(passwords.size(), cost); ++t)
    threads.emplace_back([&batch] { batch.work(); });
  auto next_report = std::chrono::steady_clock::now() + control.every;
  std::unique_lock lock(batch.mutex);
  while (batch.done < passwords.size() && !batch.abort) {
    batch.changed.wait_for(lock, kStopPoll);
    if (control.stop && control.stop()) batch.abort = true;
    if (control.progress && std::chrono::steady_clock::now() >= next_report) {
      control.progress(batch.done, passwords.size());
      next_report += control.every;
    }
  }
  lock.unlock();
  threads.clear();  // joins: every started hash has finished
  if (batch.error) std::rethrow_exception(batch.error);
  if (batch.abort) return std::nullopt;
  if (control.progress) control.progress(passwords.size(), passwords.size());
  return std::move(batch.hashes);
}

}  // namespace edgehub::hub
