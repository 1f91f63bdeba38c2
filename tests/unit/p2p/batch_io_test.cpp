// BatchSender / BatchReceiver over real UDP sockets on 127.0.0.1: whatever
// the grouping (GSO) and batching, every datagram arrives whole, in order,
// from the right address.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "p2p/udp_batch_io.hpp"

namespace edgehub::p2p {
namespace {

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    endpoint_ = udp::endpoint(boost::asio::ip::address_v4::loopback(), ntohs(a.sin_port));
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  const udp::endpoint& endpoint() const { return endpoint_; }

 private:
  int fd_;
  udp::endpoint endpoint_;
};

std::vector<std::uint8_t> datagram(std::size_t size, std::uint8_t tag) {
  std::vector<std::uint8_t> d(size);
  for (std::size_t i = 0; i < size; ++i) d[i] = static_cast<std::uint8_t>(tag + i);
  return d;
}

// Reads from s until `count` datagrams arrived (bounded by a timeout per wait).
std::vector<std::vector<std::uint8_t>> receive(Socket& s, BatchReceiver& rx, std::size_t count,
                                               const udp::endpoint& expected_from) {
  std::vector<std::vector<std::uint8_t>> got;
  for (int waits = 0; got.size() < count && waits < 100; ++waits) {
    pollfd p{s.fd(), POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) break;
    while (rx.receive() > 0) {
      rx.for_each([&](std::span<const std::uint8_t> d, const udp::endpoint& from) {
        EXPECT_EQ(from, expected_from);
        got.emplace_back(d.begin(), d.end());
      });
    }
  }
  return got;
}

TEST(BatchIo, EveryDatagramArrivesWholeAndInOrder) {
  Socket a, b, c;
  BatchSender tx(a.fd());
  BatchReceiver rx_b(b.fd()), rx_c(c.fd());  // before sending: GSO groups may arrive as one GRO buffer
  std::vector<std::vector<std::uint8_t>> to_b, to_c;
  auto queue = [&](std::size_t size, std::uint8_t tag, Socket& dest, auto& list) {
    auto d = datagram(size, tag);
    auto buf = tx.buffer();
    ASSERT_GE(buf.size(), d.size());
    std::memcpy(buf.data(), d.data(), d.size());
    tx.commit(d.size(), dest.endpoint());
    list.push_back(d);
  };
  for (int i = 0; i < 50; ++i) queue(1452, static_cast<std::uint8_t>(i), b, to_b);  // one GSO group and more
  queue(300, 200, b, to_b);                                                         // a short last one
  for (int i = 0; i < 5; ++i) queue(1000, static_cast<std::uint8_t>(i), c, to_c);   // another peer
  for (int i = 0; i < 3; ++i) queue(500, static_cast<std::uint8_t>(90 + i), b, to_b);
  queue(2000, 7, b, to_b);  // larger than the group before it: a new group
  ASSERT_EQ(tx.flush(), BatchSender::Flush::done);
  EXPECT_TRUE(tx.empty());
  EXPECT_EQ(tx.datagrams_sent(), to_b.size() + to_c.size());
  EXPECT_LT(tx.system_calls(), 3u);  // batched
  EXPECT_EQ(receive(b, rx_b, to_b.size(), a.endpoint()), to_b);
  EXPECT_EQ(receive(c, rx_c, to_c.size(), a.endpoint()), to_c);
  if (rx_b.gro() && tx.gso()) {
    EXPECT_LT(rx_b.system_calls(), to_b.size());
  }
}

TEST(BatchIo, ReceiverIgnoresAnEmptySocket) {
  Socket s;
  BatchReceiver rx(s.fd());
  EXPECT_EQ(rx.receive(), 0u);
  std::size_t calls = 0;
  rx.for_each([&](auto, const auto&) { ++calls; });
  EXPECT_EQ(calls, 0u);
}

}  // namespace
}  // namespace edgehub::p2p
