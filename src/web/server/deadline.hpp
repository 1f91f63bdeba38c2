#pragma once
// A deadline for the read or write in progress on a socket
// (docs/HTTP_API.md#http-limits): when it passes, the socket's operations are
// cancelled (not the socket closed, as beast::tcp_stream's own timeout
// does), so the server can still answer 408 before it closes.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

namespace edgehub::web {

class Deadline {
 public:
  explicit Deadline(boost::asio::ip::tcp::socket& socket)
      : state_(std::make_shared<State>(&socket)), timer_(socket.get_executor()) {}
  ~Deadline() { state_->socket = nullptr; }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // Each arm() and disarm() starts a new generation: a handler of an
  // earlier one that had already expired, and sits queued where cancel()
  // no longer reaches it, finds its generation gone and does nothing, so it
  // never cancels (or marks as timed out) a later operation.
  void arm(std::chrono::steady_clock::duration after) {
    state_->fired = false;
    const std::uint64_t generation = ++state_->generation;
    timer_.expires_after(after);
    timer_.async_wait([state = state_, generation](boost::system::error_code ec) {
      if (ec || !state->socket || state->generation != generation) return;
      state->fired = true;
      boost::system::error_code ignored;
      state->socket->cancel(ignored);
    });
  }
  void disarm() {
    ++state_->generation;
    timer_.cancel();
  }
  bool fired() const { return state_->fired; }

 private:
  // Shared with the timer's handler, which may run after this object ends.
  struct State {
    explicit State(boost::asio::ip::tcp::socket* s) : socket(s) {}
    boost::asio::ip::tcp::socket* socket;
    bool fired = false;
    std::uint64_t generation = 0;
  };
  std::shared_ptr<State> state_;
  boost::asio::steady_timer timer_;
};

}  // namespace edgehub::web
