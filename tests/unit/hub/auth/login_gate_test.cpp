// The login gate's admission order (src/hub/auth/login_gate.hpp): caps per
// address and in total, round-robin between addresses.
#include "hub/auth/login_gate.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

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

}  // namespace
}  // namespace edgehub::hub
