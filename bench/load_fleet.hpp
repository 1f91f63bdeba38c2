#pragma once
// The connections of one load process: opens them with a bounded number of
// handshakes in flight, keeps them idle (the protocol answers keep-alives),
// and closes them on command. Single-threaded: everything runs on one
// io_context. The protocol (edgehub or MQTT) is a LoadProtocol.
#include <netinet/in.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace edgehub::bench {

namespace asio = boost::asio;
using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

inline std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

struct Conn {
  explicit Conn(asio::io_context& io, std::size_t id) : socket(io), index(id) {}
  tcp::socket socket;
  std::size_t index;        // global number: names the device / client id
  std::string input;        // bytes read but not yet parsed
  std::string token;        // edgehub resume token from the last login
  bool open = false;        // handshake done and not closed since
  bool closing = false;     // closed by us, not by the server
  unsigned generation = 0;  // bumped at every (re)open: tells stale readers apart
};

class LoadProtocol {
 public:
  virtual ~LoadProtocol() = default;
  // Runs the handshake for `phase` on a connected socket; true if accepted.
  virtual asio::awaitable<bool> handshake(Conn& c, const std::string& phase) = 0;
  // Reads until the connection ends, answering keep-alives.
  virtual asio::awaitable<void> idle(Conn& c) = 0;
  // Counters for the final report, "key=value ..." (no spaces inside).
  virtual std::string stats() const { return ""; }
};

struct FleetConfig {
  tcp::endpoint server;
  asio::ip::address source;  // bound before connect (port chosen at connect)
  std::size_t first_index = 0;
  std::size_t count = 0;
  std::size_t concurrency = 64;  // handshakes in flight
  std::chrono::seconds phase_timeout{120};
};

struct PhaseResult {
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
  double latency_sum_ms = 0;
  double latency_max_ms = 0;
};

class Fleet {
 public:
  Fleet(asio::io_context& io, LoadProtocol& protocol, FleetConfig config)
      : io_(io), protocol_(protocol), config_(std::move(config)) {
    for (std::size_t i = 0; i < config_.count; ++i)
      conns_.push_back(std::make_unique<Conn>(io_, config_.first_index + i));
  }

  // Opens every connection that is not open and runs `phase` on it.
  asio::awaitable<PhaseResult> open_all(std::string phase) {
    result_ = PhaseResult{};
    result_.start_ns = monotonic_ns();
    next_ = 0;
    deadline_ = SteadyClock::now() + config_.phase_timeout;
    launchers_running_ = std::min(config_.concurrency, conns_.size());
    asio::steady_timer done(io_, SteadyClock::time_point::max());
    done_ = &done;
    for (std::size_t i = 0; i < launchers_running_; ++i) asio::co_spawn(io_, launcher(phase), asio::detached);
    boost::system::error_code ec;
    if (launchers_running_ > 0) co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    done_ = nullptr;
    result_.end_ns = monotonic_ns();
    co_return result_;
  }

  // Closes every connection from our side (the server sees an EOF).
  void close_all() {
    for (auto& c : conns_) close(*c);
  }

  std::size_t open_count() const {
    std::size_t n = 0;
    for (const auto& c : conns_) n += c->open ? 1 : 0;
    return n;
  }
  // Connections the server closed while they were idle.
  std::size_t lost() const { return lost_; }

 private:
  void close(Conn& c) {
    c.closing = true;
    c.open = false;
    boost::system::error_code ignored;
    c.socket.close(ignored);
  }

  asio::awaitable<void> launcher(std::string phase) {
    while (next_ < conns_.size() && SteadyClock::now() < deadline_) {
      Conn& c = *conns_[next_++];
      if (c.open) continue;
      const auto started = SteadyClock::now();
      const bool ok = co_await open_one(c, phase);
      const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count();
      result_.latency_sum_ms += ms;
      result_.latency_max_ms = std::max(result_.latency_max_ms, ms);
      if (ok) {
        ++result_.ok;
        c.open = true;
        asio::co_spawn(io_, watch(c), asio::detached);
      } else {
        ++result_.failed;
        close(c);
      }
    }
    if (--launchers_running_ == 0 && done_ != nullptr) done_->cancel();
  }

  asio::awaitable<bool> open_one(Conn& c, const std::string& phase) {
    boost::system::error_code ec;
    c.socket = tcp::socket(io_);
    c.input.clear();
    c.closing = false;
    ++c.generation;
    c.socket.open(config_.server.protocol(), ec);
    // Let connect() choose the port per destination: many processes and
    // source addresses then never run out of ephemeral ports.
    if (!ec) c.socket.set_option(asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true), ec);
    if (!ec) c.socket.bind(tcp::endpoint(config_.source, 0), ec);
    if (ec) co_return false;
    asio::steady_timer guard(io_, deadline_);
    guard.async_wait([&c](const boost::system::error_code& e) {
      if (!e) c.socket.close();  // the phase timed out: abandon this handshake
    });
    co_await c.socket.async_connect(config_.server, asio::redirect_error(asio::use_awaitable, ec));
    const bool ok = !ec && co_await protocol_.handshake(c, phase);
    guard.cancel();
    co_return ok&& c.socket.is_open();
  }

  asio::awaitable<void> watch(Conn& c) {
    const unsigned generation = c.generation;
    co_await protocol_.idle(c);
    if (c.generation == generation && !c.closing) {
      ++lost_;
      c.open = false;
    }
  }

  asio::io_context& io_;
  LoadProtocol& protocol_;
  FleetConfig config_;
  std::vector<std::unique_ptr<Conn>> conns_;
  PhaseResult result_;
  std::size_t next_ = 0;
  std::size_t launchers_running_ = 0;
  std::size_t lost_ = 0;
  SteadyClock::time_point deadline_{};
  asio::steady_timer* done_ = nullptr;
};

}  // namespace edgehub::bench
