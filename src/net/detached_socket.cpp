#include "net/detached_socket.hpp"

#include <unistd.h>

#include <utility>

namespace edgehub::net {

using boost::asio::ip::tcp;
using boost::system::error_code;

DetachedSocket::DetachedSocket(tcp::socket& socket) {
  error_code ec;
  const auto local = socket.local_endpoint(ec);
  if (ec) return;
  const int fd = socket.release(ec);
  if (ec) return;
  fd_ = fd;
  protocol_ = local.protocol();
}

DetachedSocket::DetachedSocket(DetachedSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), protocol_(other.protocol_) {}

DetachedSocket::~DetachedSocket() {
  if (fd_ >= 0) ::close(fd_);
}

DetachedSocket::Socket DetachedSocket::attach_to(const boost::asio::io_context::executor_type& executor) {
  Socket socket(executor);
  if (fd_ < 0) return socket;
  error_code ec;
  socket.assign(protocol_, fd_, ec);
  if (!ec) fd_ = -1;  // else the destructor closes it
  return socket;
}

}  // namespace edgehub::net
