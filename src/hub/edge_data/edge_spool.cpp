#include "hub/edge_data/edge_spool.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstdint>
#include <mutex>

#include "hub/edge_data/upload_writer.hpp"

namespace edgehub::hub {

namespace asio = boost::asio;

// Touched by the connection's coroutine only while no job runs, and by the
// job (on a worker) only while it runs; `running`, `resume` and `then`
// (under the mutex) hand it from one to the other.
struct EdgeSpool::Shared {
  explicit Shared(int fd) : writer(fd) {}

  UploadWriter writer;
  Sha256 sha;
  std::string block;
  int error = 0;  // errno of the first failed write

  std::mutex mutex;
  bool running = false;
  std::function<void()> resume;  // the coroutine waiting for the job
  std::function<void()> then;    // after_jobs()

  void hash_and_write();
  void job_done();
};

void EdgeSpool::Shared::hash_and_write() {
  sha.update(block);
  if (error == 0) error = writer.append(block);
}

void EdgeSpool::Shared::job_done() {
  std::function<void()> next, after;
  {
    std::lock_guard lock(mutex);
    running = false;
    next = std::exchange(resume, nullptr);
    after = std::exchange(then, nullptr);
  }
  if (next) next();
  if (after) after();
}

EdgeSpool::EdgeSpool(asio::thread_pool& workers, int fd) : workers_(workers), shared_(std::make_shared<Shared>(fd)) {}

EdgeSpool::~EdgeSpool() {
  // If the pool has stopped (shutdown), the state goes with the post.
  asio::post(workers_, [shared = std::move(shared_)] {});
}

asio::awaitable<int> EdgeSpool::drain() {
  auto initiate = [shared = shared_](auto handler) {
    auto caller = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
    auto resume = [caller, handler = std::make_shared<decltype(handler)>(std::move(handler))] {
      asio::post(caller, [handler] { std::move (*handler)(); });
    };
    {
      std::lock_guard lock(shared->mutex);
      if (shared->running) {
        shared->resume = std::move(resume);
        return;
      }
    }
    resume();
  };
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(std::move(initiate), asio::use_awaitable);
  co_return shared_->error;
}

asio::awaitable<int> EdgeSpool::write(std::string_view block) {
  if (const int error = co_await drain()) co_return error;
  shared_->block.assign(block);
  start_job([](Shared& shared) { shared.hash_and_write(); });
  co_return 0;
}

asio::awaitable<int> EdgeSpool::finish() {
  if (const int error = co_await drain()) co_return error;
  start_job([](Shared& shared) { shared.error = shared.writer.finish(); });
  co_return co_await drain();
}

void EdgeSpool::start_job(void (*job)(Shared&)) {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->running = true;
  }
  asio::post(workers_, [shared = shared_, job] {
    job(*shared);
    shared->job_done();
  });
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
