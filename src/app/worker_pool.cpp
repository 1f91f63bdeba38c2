#include "app/worker_pool.hpp"

#include <pthread.h>

#include <boost/asio/post.hpp>
#include <latch>
#include <memory>

namespace edgehub::app {

void name_worker_threads(boost::asio::thread_pool& pool, std::size_t threads) {
  // Each job waits until all have started, so each runs on a thread of its
  // own. Shared: a job may still be leaving the latch after this returns.
  auto all_started = std::make_shared<std::latch>(static_cast<std::ptrdiff_t>(threads) + 1);
  for (std::size_t i = 0; i < threads; ++i)
    boost::asio::post(pool, [all_started] {
      pthread_setname_np(pthread_self(), "worker");
      all_started->arrive_and_wait();
    });
  all_started->arrive_and_wait();
}

}  // namespace edgehub::app
