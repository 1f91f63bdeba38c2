#include "hub/edge_data/edge_spool.hpp"

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

#include "hub/core/async.hpp"
#include "hub/edge_data/upload_writer.hpp"

namespace edgehub::hub {

namespace asio = boost::asio;

namespace {

// Blocks handed over and not yet hashed and written, at most: slack for
// the moments the worker is slower (a disk write, another job on the pool)
// so that the connection's thread goes on validating.
constexpr std::size_t kMaxQueued = 3;

}  // namespace

// The writer and the hash belong to the worker's run of jobs (one run at a
// time, `running`); the queue, the spare buffers and the waiters are under
// the mutex.
struct EdgeSpool::Shared {
  explicit Shared(int fd) : writer(fd) {}

  UploadWriter writer;
  Sha256 sha;
  std::atomic<int> error{0};  // errno of the first failed write

  std::mutex mutex;
  bool running = false;
  std::deque<std::string> queued;  // in order; the front is being written
  std::vector<std::string> spare;  // buffers of blocks done, for the next ones
  std::size_t resume_at_most = 0;  // `resume` runs once queued.size() is at most this
  std::function<void()> resume;    // the coroutine waiting for room, or for the end
  std::function<void()> then;      // after_jobs()

  void run();  // on a worker: the queued blocks, in order, until none is left
  // Under the mutex: the waiter to call if the queue is now short enough.
  std::function<void()> due_waiter();
};

std::function<void()> EdgeSpool::Shared::due_waiter() {
  if (!resume || queued.size() > resume_at_most) return nullptr;
  return std::exchange(resume, nullptr);
}

void EdgeSpool::Shared::run() {
  for (;;) {
    std::string* block = nullptr;
    {
      std::lock_guard lock(mutex);
      block = &queued.front();  // stays put: a deque keeps its elements where they are on push_back
    }
    sha.update(*block);
    if (error.load(std::memory_order_relaxed) == 0) error.store(writer.append(*block), std::memory_order_relaxed);
    std::function<void()> waiter, after;
    bool more = false;
    {
      std::lock_guard lock(mutex);
      spare.push_back(std::move(queued.front()));
      queued.pop_front();
      more = !queued.empty();
      running = more;
      waiter = due_waiter();
      if (!more) after = std::exchange(then, nullptr);
    }
    if (waiter) waiter();
    if (after) after();
    if (!more) return;
  }
}

EdgeSpool::EdgeSpool(asio::thread_pool& workers, int fd) : workers_(workers), shared_(std::make_shared<Shared>(fd)) {}

EdgeSpool::~EdgeSpool() {
  // If the pool has stopped (shutdown), the state goes with the post.
  asio::post(workers_, [shared = std::move(shared_)] {});
}

asio::awaitable<void> EdgeSpool::wait_until_queued_at_most(std::size_t count) {
  auto initiate = [shared = shared_, count](auto handler) {
    // Resumes the caller on its own executor (hub/core/async.hpp); runs once.
    auto resume = [handler = std::make_shared<decltype(handler)>(std::move(handler))] {
      detail::deliver<void>(std::move(*handler), nullptr, 0);
    };
    {
      std::lock_guard lock(shared->mutex);
      if (shared->queued.size() > count) {
        shared->resume_at_most = count;
        shared->resume = std::move(resume);
        return;
      }
    }
    resume();
  };
  co_await asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<void>>(std::move(initiate),
                                                                                              asio::use_awaitable);
}

asio::awaitable<int> EdgeSpool::drain() {
  co_await wait_until_queued_at_most(0);
  co_return shared_->error.load();
}

asio::awaitable<int> EdgeSpool::write(std::string_view block) {
  co_await wait_until_queued_at_most(kMaxQueued - 1);
  if (const int error = shared_->error.load()) co_return error;
  std::string buffer;
  {
    std::lock_guard lock(shared_->mutex);
    if (!shared_->spare.empty()) {
      buffer = std::move(shared_->spare.back());
      shared_->spare.pop_back();
    }
  }
  buffer.assign(block);  // outside the lock: the worker goes on meanwhile
  bool start = false;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->queued.push_back(std::move(buffer));
    start = !std::exchange(shared_->running, true);
  }
  if (start) asio::post(workers_, [shared = shared_] { shared->run(); });
  co_return 0;
}

asio::awaitable<int> EdgeSpool::finish() {
  if (const int error = co_await drain()) co_return error;
  // Nothing queued or running now: the writer's last bytes, on a worker.
  // Named, not a temporary in the co_await expression (GCC 12 destroys
  // such a temporary's captures twice).
  auto write_the_rest = [shared = shared_] { return shared->writer.finish(); };
  const int error = co_await run_blocking(workers_, write_the_rest);
  if (error != 0) shared_->error.store(error);
  co_return shared_->error.load();
}

Sha256Digest EdgeSpool::digest() { return shared_->sha.finish(); }

void EdgeSpool::after_jobs(std::function<void()> f) {
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->running) {
      shared_->then = std::move(f);
      return;
    }
  }
  asio::post(workers_, std::move(f));
}

}  // namespace edgehub::hub
