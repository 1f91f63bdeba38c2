// The login gate's admission order (src/hub/auth/login_gate.hpp): caps per
// address and in total, round-robin between addresses.
#include "hub/auth/login_gate.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <future>

#include <string>
#include <vector>

namespace edgehub::hub {
namespace {

namespace asio = boost::asio;

// Logins that enter the gate and stay in until the test calls leave().
// poll(), not run(): a coroutine waiting at the gate counts as work, so
// run() would wait for it forever.
struct Logins {
  asio::io_context io;
  LoginGate gate;
  std::vector<std::string> admitted;

  Logins(std::size_t slots, std::size_t per_address) : gate(slots, per_address) {}

  void arrive(const std::string& address, const std::string& tag) {
    asio::co_spawn(
        io,
        [this, address, tag]() -> asio::awaitable<void> {
          co_await gate.enter(address);
          admitted.push_back(tag);
        },
        asio::detached);
    io.poll();
    io.restart();
  }
  void leave(const std::string& address) {
    gate.leave(address);
    io.poll();
    io.restart();
  }
};

TEST(LoginGate, AnotherAddressGoesBeforeTheRestOfAQueue) {
  Logins logins(1, 1);
  logins.arrive("flood", "f1");
  logins.arrive("flood", "f2");
  logins.arrive("flood", "f3");
  logins.arrive("user", "u1");
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"f1"}));
  logins.leave("flood");  // the flood's turn came first
  logins.leave("flood");  // then the user's, not the flood's third
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"f1", "f2", "u1"}));
  logins.leave("user");
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"f1", "f2", "u1", "f3"}));
}

TEST(LoginGate, OneAddressNeverTakesMoreThanItsCap) {
  Logins logins(2, 1);
  logins.arrive("flood", "f1");
  logins.arrive("flood", "f2");  // a slot is free, but not for this address
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"f1"}));
  logins.arrive("user", "u1");  // the free slot: at once
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"f1", "u1"}));
  logins.leave("flood");
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"f1", "u1", "f2"}));
}

TEST(LoginGate, LeavingWithoutEnteringChangesNothing) {
  Logins logins(1, 1);
  logins.leave("nobody");
  logins.arrive("user", "u1");
  logins.arrive("user", "u2");
  EXPECT_EQ(logins.admitted, (std::vector<std::string>{"u1"}));
}

// run(): a slot comes back as the work returns on the pool, not when the
// caller's thread gets round to the result, so queued verifications go on
// while that thread is busy (here: not running at all).
TEST(LoginGate, RunGivesTheSlotBackOnTheWorkerBeforeTheCallerResumes) {
  asio::io_context io;
  asio::thread_pool pool(1);
  LoginGate gate(1, 1);
  std::promise<void> poll_returned;  // holds the first work until poll() is over, so it cannot deliver there
  std::shared_future<void> poll_over = poll_returned.get_future().share();
  std::promise<void> second_ran;
  std::vector<int> results;
  for (int i = 0; i < 2; ++i)
    asio::co_spawn(
        io,
        [&, i]() -> asio::awaitable<void> {
          results.push_back(co_await gate.run(pool, "address " + std::to_string(i), [&, i] {
            if (i == 0) poll_over.wait();
            if (i == 1) second_ran.set_value();
            return i;
          }));
        },
        asio::detached);
  io.poll();  // both reach the gate; the io_context then stands still
  poll_returned.set_value();
  ASSERT_EQ(second_ran.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "the second verification waited for the first caller to resume";
  EXPECT_TRUE(results.empty()) << "no caller has resumed yet";
  while (results.size() < 2) io.run_one();
  EXPECT_EQ(results, (std::vector<int>{0, 1}));
  pool.join();
}

}  // namespace
}  // namespace edgehub::hub
