#include "net/parking_lot.hpp"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/metrics/catalog.hpp"
#include "net/connection.hpp"

namespace edgehub::net {

ParkingLot::ParkingLot(asio::execution_context& context)
    : asio::execution_context::service(context), context_(static_cast<asio::io_context&>(context)) {}

ParkingLot::~ParkingLot() = default;

ParkingLot& ParkingLot::of(const asio::io_context::executor_type& executor) {
  return asio::use_service<ParkingLot>(asio::query(executor, asio::execution::context));
}

void ParkingLot::enable(std::chrono::milliseconds interval) {
  if (interval.count() <= 0 || enabled()) return;
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    spdlog::warn("idle connections stay in the event loop: epoll_create1: {}", std::strerror(errno));
    return;
  }
  watch_ = std::make_unique<asio::posix::stream_descriptor>(context_, epoll_fd_);  // closes it in the end
  sweep_timer_ = std::make_unique<asio::steady_timer>(context_);
  interval_ = interval;
  schedule_sweep();
  wait_for_input();
}

void ParkingLot::watch(const std::shared_ptr<Connection>& connection) {
  if (enabled() && !stopped_) candidates_.push_back(connection);
}

bool ParkingLot::hold(int fd, std::shared_ptr<Connection> connection) {
  if (!enabled() || stopped_ || fd < 0) return false;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;  // level-triggered: whatever came since the release shows
  event.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) return false;
  const auto slot = static_cast<std::size_t>(fd);
  if (by_fd_.size() <= slot) by_fd_.resize(slot + 1);
  by_fd_[slot] = std::move(connection);
  metrics::server_metrics().parked->add();
  metrics::server_metrics().parks->inc();
  return true;
}

std::shared_ptr<Connection> ParkingLot::release(int fd) {
  const auto slot = static_cast<std::size_t>(fd);
  if (fd < 0 || slot >= by_fd_.size() || !by_fd_[slot]) return nullptr;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  metrics::server_metrics().parked->sub();
  return std::move(by_fd_[slot]);
}

void ParkingLot::schedule_sweep() {
  sweep_timer_->expires_after(interval_);
  sweep_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    sweep();  // schedules the next one when done
  });
}

// A candidate that waited untouched through a whole interval is parked; one
// that was busy stays a candidate; one that is not waiting now (reading,
// closed, gone) is dropped and comes back at its next wait. A few dozen per
// turn of the event loop: parking costs system calls, and after a login
// storm thousands are due at once, which would hold up the devices that talk.
void ParkingLot::sweep() {
  sweeping_.swap(candidates_);  // watch() (a failed park waits again) adds to the next round
  sweep_from(0);
}

void ParkingLot::sweep_from(std::size_t next) {
  constexpr std::size_t kChunk = 64;
  const std::size_t end = std::min(next + kChunk, sweeping_.size());
  for (; next < end; ++next) {
    const auto connection = sweeping_[next].lock();
    if (connection && connection->sweep(*this)) candidates_.push_back(std::move(sweeping_[next]));
  }
  if (next < sweeping_.size()) {
    asio::post(context_, [this, next] {
      if (!stopped_) sweep_from(next);
    });
    return;
  }
  // After a storm the lists shrink to what is left: 16 bytes a device held
  // for every device parked would undo some of what parking saves.
  std::vector<std::weak_ptr<Connection>>().swap(sweeping_);
  if (candidates_.capacity() > 2 * candidates_.size() + 1024) candidates_.shrink_to_fit();
  schedule_sweep();
}

void ParkingLot::wait_for_input() {
  watch_->async_wait(asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    wake_parked();
    wait_for_input();
  });
}

// Parked descriptors with input (or a hang-up) go back to Asio and their
// connections read. One batch per turn of the event loop: when thousands of
// devices hang up at once, the others' messages are served in between (the
// set is level-triggered, so the wait that follows reports the rest).
void ParkingLot::wake_parked() {
  constexpr int kBatch = 64;
  std::array<epoll_event, kBatch> events{};
  const int n = ::epoll_wait(epoll_fd_, events.data(), kBatch, 0);
  for (int i = 0; i < n; ++i) {
    const int fd = events[static_cast<std::size_t>(i)].data.fd;
    if (auto connection = release(fd)) connection->unpark(fd, true);
  }
}

// The io_context is going away: its threads no longer run. The parked
// connections' descriptors are closed and their last references dropped.
void ParkingLot::shutdown() {
  stopped_ = true;
  sweep_timer_.reset();
  watch_.reset();
  candidates_.clear();
  sweeping_.clear();
  for (std::size_t fd = 0; fd < by_fd_.size(); ++fd) {
    if (!by_fd_[fd]) continue;
    ::close(static_cast<int>(fd));
    metrics::server_metrics().parked->sub();
    by_fd_[fd].reset();
  }
}

}  // namespace edgehub::net
