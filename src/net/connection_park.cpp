// Parking an idle connection (net/parking_lot.hpp,
// docs/ARCHITECTURE.md#parked-connections): the lot's sweep asks, the
// descriptor leaves Asio for the lot's epoll set, and comes back before
// anything reads, writes or closes it.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "net/connection.hpp"
#include "net/parking_lot.hpp"

namespace edgehub::net {

using asio::ip::tcp;

bool Connection::idle() const {
  // An unfinished frame may wait parked: it is the connection's, not Asio's.
  return waiting_ && !closed_ && !closing_ && !writing_ && (!busy_ || (busy_->queue.empty() && busy_->letters.empty()));
}

bool Connection::sweep(ParkingLot& lot) {
  if (!idle()) {
    candidate_ = waiting_ && !closed_;  // busy writing: still waiting for input, so stays
    return candidate_;
  }
  if (std::exchange(touched_, false)) return true;
  candidate_ = !park(lot);
  return candidate_;
}

// Gives the descriptor to the lot. Releasing it from Asio aborts the pending
// wait; its handler sees the new epoch and does nothing.
bool Connection::park(ParkingLot& lot) {
  boost::system::error_code ec;
  const int fd = socket_.release(ec);
  if (ec) return false;  // released nothing and cancelled nothing
  ++park_epoch_;
  waiting_ = false;
  if (!lot.hold(fd, shared_from_this())) {
    unpark(fd, false);
    return false;
  }
  parked_fd_ = fd;
  return true;
}

void Connection::unpark(int fd, bool readable) {
  parked_fd_ = -1;
  boost::system::error_code ec;
  socket_.assign(ipv6_ ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec)
    ::close(fd);  // not the socket's
  else
    // Asio forgets with the release that reads must not block (the descriptor
    // itself stays O_NONBLOCK): said again, or read_some would poll.
    socket_.non_blocking(true, ec);
  auto self = shared_from_this();
  if (ec) {
    spdlog::warn("{} ({}): cannot watch its socket again ({}): disconnected", session_->name, ip_, ec.message());
    boost::system::error_code ignored;
    socket_.close(ignored);
    readable = false;  // the read loop then closes and logs the device out
  } else if (!readable) {
    return wait_readable();
  }
  asio::post(socket_.get_executor(), [self] {
    asio::co_spawn(self->socket_.get_executor(), self->read_loop(self, self->socket_.is_open()), asio::detached);
  });
}

void Connection::ensure_unparked() {
  if (parked_fd_ < 0) return;
  const int fd = parked_fd_;
  // The lot's reference may be the last one: held until unpark has made
  // the wait (or the post) that owns the connection from then on.
  [[maybe_unused]] const auto held = lot_->release(fd);
  unpark(fd, false);
}

}  // namespace edgehub::net
