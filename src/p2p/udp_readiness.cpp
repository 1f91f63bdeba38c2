#include "p2p/udp_readiness.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace edgehub::p2p {
namespace {
int make_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}
}  // namespace

ReadinessWatch::ReadinessWatch(const boost::asio::any_io_executor& executor, int socket_fd, Handler handler)
    : socket_fd_(socket_fd), epoll_fd_(make_epoll()), set_(executor, epoll_fd_), handler_(std::move(handler)) {}

ReadinessWatch::~ReadinessWatch() {
  *alive_ = false;
  boost::system::error_code ec;
  set_.close(ec);  // closes epoll_fd_
}

void ReadinessWatch::want(bool read, bool write) {
  want_read_ = want_read_ || read;
  want_write_ = want_write_ || write;
  update();
}

// Level-triggered interest in exactly what is wanted; none: out of the set,
// so datagrams arriving meanwhile wake nobody.
void ReadinessWatch::update() {
  const std::uint32_t mask = (want_read_ ? EPOLLIN : 0u) | (want_write_ ? EPOLLOUT : 0u);
  epoll_event ev{};
  ev.events = mask;
  ev.data.fd = socket_fd_;
  if (mask == 0) {
    if (in_set_) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, socket_fd_, &ev);
    in_set_ = false;
    return;
  }
  ::epoll_ctl(epoll_fd_, in_set_ ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket_fd_, &ev);
  in_set_ = true;
  if (waiting_) return;
  waiting_ = true;
  set_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [this, alive = alive_](boost::system::error_code ec) {
                    if (!*alive || ec == boost::asio::error::operation_aborted) return;
                    waiting_ = false;
                    on_ready();
                  });
}

void ReadinessWatch::on_ready() {
  epoll_event ev{};
  const int n = ::epoll_wait(epoll_fd_, &ev, 1, 0);
  const bool failed = n == 1 && (ev.events & (EPOLLERR | EPOLLHUP)) != 0;
  const bool readable = want_read_ && n == 1 && ((ev.events & EPOLLIN) != 0 || failed);
  const bool writable = want_write_ && n == 1 && ((ev.events & EPOLLOUT) != 0 || failed);
  if (readable) want_read_ = false;
  if (writable) want_write_ = false;
  update();  // out of the set, or waiting again for what is still wanted
  if (readable || writable) handler_(readable, writable);
}

}  // namespace edgehub::p2p
