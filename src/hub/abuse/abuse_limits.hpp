#pragma once
// Abuse limits (docs/SECURITY.md#abuse-limits): per source address, the
// rate of new connections (a token bucket), the connections open and the
// failed logins per minute; in all, the connections, those not logged in
// yet, and the bytes queued for output. Each refusal is one "-ERR" line for
// the offender (the caller sends it and closes) and an aggregated
// security-log line (limit_log.hpp). IPv6 addresses count per /64, what one
// host usually gets. Zero turns a limit off.
//
// Thread-safe: one mutex for the address table and the limits, atomics for
// the output bytes and their cap (charged on every enqueue, so it must stay
// cheap). The limits can change while serving (reconfigure: SIGHUP). Every
// call takes the time from its caller: the tests inject it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "hub/abuse/limit_log.hpp"
#include "hub/abuse/token_bucket.hpp"
#include "protocol/status_code.hpp"

namespace edgehub::hub {

struct AbuseConfig {
  std::size_t connect_rate = 1000;             // new connections per second from one address
  std::size_t connect_burst = 10'000;          // ... of which this many at once
  std::size_t max_per_address = 10'000;        // connections open from one address
  std::size_t failed_logins_per_minute = 300;  // from one address
  std::size_t max_connections = 100'000;       // --max-clients
  std::size_t max_unauthenticated = 10'000;    // connections not logged in yet
  std::uint64_t max_queued_bytes = 1ULL << 30;
  // TLS handshakes (docs/SECURITY.md#tls-handshakes): in progress at once,
  // and begun per second (bursts of one second's worth), in all.
  std::size_t max_tls_handshakes = 256;
  std::size_t tls_handshake_rate = 1000;
};

struct Refusal {
  protocol::StatusCode code;
  std::string text;  // the -ERR line's text
};

class AbuseLimits {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AbuseLimits(AbuseConfig config, LimitLog::Sink log_sink = {});
  AbuseConfig config() const;  // the limits in force
  // New limits, from the next call on (docs/OPERATIONS.md#reloading-sighup).
  // What is counted stays: a lower cap refuses new connections only.
  void reconfigure(const AbuseConfig& config);

  // A new connection from addr: counted (and nullopt) or refused.
  std::optional<Refusal> admit(const std::string& addr, Clock::time_point now);
  // An admitted connection has logged in: one fewer waiting to.
  void logged_in();
  // An admitted connection has ended.
  void release(const std::string& addr, bool was_logged_in);

  // Whether addr may try to log in now; a refusal means close.
  std::optional<Refusal> login_refusal(const std::string& addr, Clock::time_point now);
  // A login or resume from addr failed: it costs one of its failures.
  void login_failed(const std::string& addr, Clock::time_point now);

  // Bytes queued for output, across all connections. charge() refuses (and
  // counts nothing) past the cap; the connection that asked is the one
  // closed (docs/SECURITY.md#abuse-limits).
  bool charge_output(std::size_t bytes);
  void force_charge_output(std::size_t bytes) { queued_bytes_.fetch_add(bytes, std::memory_order_relaxed); }
  void release_output(std::size_t bytes) { queued_bytes_.fetch_sub(bytes, std::memory_order_relaxed); }
  Refusal output_refusal(const std::string& addr, Clock::time_point now);

  // A TLS handshake from addr may begin (then end_handshake() once it is
  // over, whatever the outcome), or is refused: the caller closes at once.
  std::optional<Refusal> begin_handshake(const std::string& addr, Clock::time_point now);
  void end_handshake();
  std::size_t handshakes() const;

  // Logs the ended windows' summaries and forgets idle addresses (the
  // sweeper calls it, every 250 ms).
  void maintain(Clock::time_point now);
  LimitLog& log() { return log_; }

  // For tests and status.
  std::size_t connections() const;
  std::size_t unauthenticated() const;
  std::size_t tracked_addresses() const;
  std::uint64_t queued_bytes() const { return queued_bytes_.load(std::memory_order_relaxed); }

 private:
  struct Address {
    Address(const AbuseConfig& c, Clock::time_point now)
        : connects(static_cast<double>(c.connect_burst), now),
          failures(static_cast<double>(c.failed_logins_per_minute), now) {}
    std::size_t open = 0;
    TokenBucket connects;
    TokenBucket failures;
  };
  std::optional<Refusal> check_admission(Address& a, const std::string& addr, Clock::time_point now);
  bool idle(Address& a, Clock::time_point now);
  double connect_rate() const { return static_cast<double>(config_.connect_rate); }
  double connect_burst() const { return static_cast<double>(config_.connect_burst); }
  double failure_rate() const { return static_cast<double>(config_.failed_logins_per_minute) / 60.0; }
  double failure_burst() const { return static_cast<double>(config_.failed_logins_per_minute); }
  Refusal refuse(Limit limit, std::uint64_t value, const std::string& addr, Clock::time_point now,
                 protocol::StatusCode code, std::string text);

  AbuseConfig config_;  // under mutex_, but for max_queued_bytes_
  std::atomic<std::uint64_t> max_queued_bytes_;
  LimitLog log_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Address> addresses_;  // key: address_key()
  std::size_t connections_ = 0;
  std::size_t unauthenticated_ = 0;
  Clock::time_point last_cleanup_{};
  std::size_t handshakes_ = 0;
  TokenBucket handshake_bucket_;
  std::atomic<std::uint64_t> queued_bytes_{0};
};

// What addresses count together: an IPv4 address as it is, an IPv6 one by
// its /64 ("2001:db8:1:2::/64"); IPv4-mapped IPv6 as the IPv4 address.
std::string address_key(const std::string& ip);

}  // namespace edgehub::hub
