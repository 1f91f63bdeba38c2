// A background get gives the connection's turn way between its windows
// (docs/FILES.md#using-it): a thread that waits for the turn gets it, and
// the background thread has it back once that one is done.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <thread>
#include <vector>

#include "client/core/server_link.hpp"

namespace edgehub::client {
namespace {

TEST(ServerLinkTurn, YieldHandsTheTurnToTheWaiterAndTakesItBack) {
  boost::asio::io_context io;
  ServerLink link(io);
  std::vector<std::string> order;  // written only by whoever holds the turn
  auto turn = link.take_turn();
  EXPECT_FALSE(link.turn_wanted());
  std::thread command([&] {
    const auto mine = link.take_turn();
    order.push_back("command");
  });
  while (!link.turn_wanted()) std::this_thread::yield();  // the command waits for its turn
  order.push_back("window 1");
  link.yield_turn(turn);
  order.push_back("window 2");
  EXPECT_TRUE(turn.owns_lock());
  EXPECT_FALSE(link.turn_wanted());
  command.join();
  EXPECT_EQ(order, (std::vector<std::string>{"window 1", "command", "window 2"}));
}

}  // namespace
}  // namespace edgehub::client
