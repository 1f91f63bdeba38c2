#include "hub/core/async.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;

// A job's result must reach its caller as soon as the job is done, not
// after the jobs queued behind it (logins answered together, issue notes).
// One worker thread: the second job runs only after the first, and it
// waits for the first caller to have resumed. The 10 s is a failure bound,
// never reached when the result is delivered at once.
TEST(RunBlocking, ResultReachesTheCallerWhileLaterJobsStillRun) {
  asio::io_context io;
  asio::thread_pool pool(1);
  std::promise<void> first_resumed;
  auto resumed = first_resumed.get_future();
  int first_result = 0;
  bool second_saw_first = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        first_result = co_await run_blocking(pool, [] { return 42; });
        first_resumed.set_value();
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await run_blocking(pool, [&] { second_saw_first = resumed.wait_for(10s) == std::future_status::ready; });
      },
      asio::detached);
  io.run();
  pool.join();
  EXPECT_EQ(first_result, 42);
  EXPECT_TRUE(second_saw_first);
}

TEST(RunBlocking, ResumesOnTheCallersThread) {
  asio::io_context io;
  asio::thread_pool pool(1);
  std::thread::id job_thread, resumed_on;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await run_blocking(pool, [&] { job_thread = std::this_thread::get_id(); });
        resumed_on = std::this_thread::get_id();
      },
      asio::detached);
  io.run();
  pool.join();
  EXPECT_NE(job_thread, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

TEST(RunBlocking, AnExceptionReachesTheCaller) {
  asio::io_context io;
  asio::thread_pool pool(1);
  std::string caught;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        try {
          co_await run_blocking(pool, []() -> std::string { throw std::runtime_error("disk gone"); });
        } catch (const std::runtime_error& e) {
          caught = e.what();
        }
      },
      asio::detached);
  io.run();
  pool.join();
  EXPECT_EQ(caught, "disk gone");
}

}  // namespace
}  // namespace edgehub::hub
