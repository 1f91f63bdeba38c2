#pragma once
// Backpressure on one sender's broadcasts (docs/MESSAGING.md#broadcast). Each
// broadcast is charged its frame's size once per recipient connection it is
// queued at; each connection releases its part once the frame is written to
// the socket, refused or handed back. While the sender's charge is at or over
// the budget, its next broadcast waits, and so does everything behind it on
// that connection: the server stops reading the sender's socket, and TCP
// slows the sender down. One sender can therefore not make the server
// queue (and, for devices cut off at --high-water, store) senders x
// recipients x text faster than the recipients drain it (issue 14).
//
// The wait ends at the latest after `ceiling`: devices that never read hold
// their part until --high-water or the heartbeat cuts them off, and a few
// of them must not silence every broadcaster for that long. Past the budget
// a sender therefore gets at most one broadcast per ceiling.
//
// Thread-safe: charged and awaited on the sender's connection thread,
// released from any recipient's.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>

namespace edgehub::hub {

class BroadcastBudget {
 public:
  explicit BroadcastBudget(std::size_t limit) : limit_(limit) {}

  void charge(std::size_t bytes) { in_flight_.fetch_add(bytes); }
  void release(std::size_t bytes);
  std::size_t in_flight() const { return in_flight_.load(); }
  bool over() const { return in_flight_.load() >= limit_; }

  // Returns once in_flight() is under the limit, or after ceiling. True if
  // it had to wait at all.
  boost::asio::awaitable<bool> wait_below(std::chrono::milliseconds ceiling);

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> in_flight_{0};
  std::mutex mutex_;
  std::shared_ptr<boost::asio::steady_timer> waiter_;  // only while the sender waits
};

}  // namespace edgehub::hub
