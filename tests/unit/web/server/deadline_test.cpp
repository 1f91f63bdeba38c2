// web/server/deadline.hpp: a deadline re-armed after its timer expired, but
// before that timer's handler ran, must not act on the new operation.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "web/server/deadline.hpp"

namespace edgehub::web {
namespace {

namespace asio = boost::asio;

TEST(Deadline, AnExpiredHandlerStillQueuedDoesNotFireTheNextArm) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  Deadline deadline(socket);
  deadline.arm(std::chrono::seconds(0));  // expired at once
  // The scheduler first runs its reactor, which queues the expired timer's
  // handler behind this one; this one then re-arms, as a new read would.
  asio::post(io, [&] { deadline.arm(std::chrono::hours(1)); });
  EXPECT_EQ(io.run_one(), 1u);
  io.poll();  // the stale handler, if it was queued
  EXPECT_FALSE(deadline.fired()) << "the old timer marked the new operation as timed out";
  deadline.disarm();
  io.poll();
}

TEST(Deadline, FiresWhenItsOwnTimeIsUp) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  Deadline deadline(socket);
  deadline.arm(std::chrono::milliseconds(1));
  io.run_one();
  EXPECT_TRUE(deadline.fired());
}

}  // namespace
}  // namespace edgehub::web
