#pragma once
// Readiness of the endpoint's UDP socket without Asio's own registration
// (docs/UDP.md#12-the-driver-batched-system-calls). Asio keeps a socket in
// its epoll set, edge-triggered, for as long as the socket exists, so every
// datagram that arrives while the thread sleeps wakes it, wanted or not: a
// receiver that reads on a timer (EndpointOptions::read_coalesce) would still
// wake for each paced datagram. ReadinessWatch puts the socket into a private
// epoll set only while someone waits for it, and lets Asio watch that set.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <functional>
#include <memory>

namespace edgehub::p2p {

class ReadinessWatch {
 public:
  // Called on the executor with what became ready; those wants are then cleared.
  using Handler = std::function<void(bool readable, bool writable)>;

  // Throws std::system_error if no epoll set can be made.
  ReadinessWatch(const boost::asio::any_io_executor& executor, int socket_fd, Handler handler);
  ~ReadinessWatch();
  ReadinessWatch(const ReadinessWatch&) = delete;
  ReadinessWatch& operator=(const ReadinessWatch&) = delete;

  // Waits (also) for the socket to become readable / writable.
  void want_read() { want(true, false); }
  void want_write() { want(false, true); }

 private:
  void want(bool read, bool write);
  void update();
  void on_ready();

  int socket_fd_;
  int epoll_fd_;
  boost::asio::posix::stream_descriptor set_;  // the private epoll set, as Asio sees it
  Handler handler_;
  bool want_read_ = false, want_write_ = false, in_set_ = false, waiting_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace edgehub::p2p
