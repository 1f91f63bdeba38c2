#include "hub/abuse/abuse_limits.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "hub/auth/lockout.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

constexpr auto kLogWindow = std::chrono::seconds(10);
constexpr std::size_t kLogMaxKeys = 1000;
// Idle addresses are forgotten this often (a pass over the table).
constexpr auto kCleanupInterval = std::chrono::seconds(10);

bool over(std::size_t count, std::size_t limit) { return limit > 0 && count >= limit; }

}  // namespace

std::string address_key(const std::string& ip) {
  std::array<unsigned char, 16> bytes{};
  if (ip.find(':') == std::string::npos || inet_pton(AF_INET6, ip.c_str(), bytes.data()) != 1) return ip;
  std::memset(bytes.data() + 8, 0, 8);  // one host's /64
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (inet_ntop(AF_INET6, bytes.data(), text.data(), text.size()) == nullptr) return ip;
  return std::string(text.data()) + "/64";
}

AbuseLimits::AbuseLimits(AbuseConfig config, LimitLog::Sink log_sink)
    : config_(config),
      max_queued_bytes_(config.max_queued_bytes),
      log_(kLogWindow, kLogMaxKeys, std::move(log_sink)),
      handshake_bucket_(static_cast<double>(config.tls_handshake_rate), Clock::time_point{}) {}

AbuseConfig AbuseLimits::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

void AbuseLimits::reconfigure(const AbuseConfig& config) {
  std::lock_guard lock(mutex_);
  config_ = config;
  max_queued_bytes_.store(config.max_queued_bytes, std::memory_order_relaxed);
}

Refusal AbuseLimits::refuse(Limit limit, std::uint64_t value, const std::string& addr, Clock::time_point now,
                            StatusCode code, std::string text) {
  log_.hit(limit, value, addr, now);
  return {code, std::move(text)};
}

std::optional<Refusal> AbuseLimits::admit(const std::string& addr, Clock::time_point now) {
  std::optional<Refusal> refusal;
  {
    std::lock_guard lock(mutex_);
    const auto it = addresses_.try_emplace(address_key(addr), config_, now).first;
    refusal = check_admission(it->second, addr, now);
    if (!refusal) {
      ++it->second.open;
      ++connections_;
      ++unauthenticated_;
      return std::nullopt;
    }
  }
  return refusal;
}

// The address's own limits first: a flood from one address is told so even
// when it has filled the server too.
std::optional<Refusal> AbuseLimits::check_admission(Address& a, const std::string& addr, Clock::time_point now) {
  const AbuseConfig& c = config_;
  if (over(a.open, c.max_per_address))
    return refuse(Limit::per_address, c.max_per_address, addr, now, StatusCode::TooManyRequests,
                  fmt::format("Too many connections from your address (limit {}); try again later", c.max_per_address));
  if (c.connect_rate > 0 && !a.connects.take(connect_rate(), connect_burst(), now))
    return refuse(Limit::connect_rate, c.connect_rate, addr, now, StatusCode::TooManyRequests,
                  fmt::format("Too many new connections from your address (limit {} per second); try again later",
                              c.connect_rate));
  if (over(unauthenticated_, c.max_unauthenticated))
    return refuse(
        Limit::unauthenticated, c.max_unauthenticated, addr, now, StatusCode::Unavailable,
        fmt::format("Too many connections waiting to log in (limit {}); try again later", c.max_unauthenticated));
  if (over(connections_, c.max_connections))
    return refuse(Limit::connections, c.max_connections, addr, now, StatusCode::Unavailable,
                  fmt::format("Server full (limit {} connections), try again later", c.max_connections));
  return std::nullopt;
}

void AbuseLimits::logged_in() {
  std::lock_guard lock(mutex_);
  if (unauthenticated_ > 0) --unauthenticated_;
}

void AbuseLimits::release(const std::string& addr, bool was_logged_in) {
  std::lock_guard lock(mutex_);
  if (connections_ > 0) --connections_;
  if (!was_logged_in && unauthenticated_ > 0) --unauthenticated_;
  const auto it = addresses_.find(address_key(addr));
  if (it != addresses_.end() && it->second.open > 0) --it->second.open;
}

std::optional<Refusal> AbuseLimits::login_refusal(const std::string& addr, Clock::time_point now) {
  Clock::duration wait{};
  std::size_t per_minute = 0;
  {
    std::lock_guard lock(mutex_);
    per_minute = config_.failed_logins_per_minute;
    if (per_minute == 0) return std::nullopt;
    const auto it = addresses_.try_emplace(address_key(addr), config_, now).first;
    wait = it->second.failures.wait_time(failure_rate(), failure_burst(), now);
  }
  if (wait == Clock::duration{}) return std::nullopt;
  return refuse(Limit::failed_logins, per_minute, addr, now, StatusCode::TooManyRequests,
                fmt::format("Too many failed logins from your address (limit {} per minute); try again in {}",
                            per_minute, seconds_phrase(wait)));
}

void AbuseLimits::login_failed(const std::string& addr, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (config_.failed_logins_per_minute == 0) return;
  const auto it = addresses_.try_emplace(address_key(addr), config_, now).first;
  it->second.failures.take(failure_rate(), failure_burst(), now);
}

bool AbuseLimits::charge_output(std::size_t bytes) {
  const std::uint64_t cap = max_queued_bytes_.load(std::memory_order_relaxed);
  if (cap == 0) {
    force_charge_output(bytes);
    return true;
  }
  const std::uint64_t before = queued_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  if (before + bytes <= cap) return true;
  queued_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
  return false;
}

Refusal AbuseLimits::output_refusal(const std::string& addr, Clock::time_point now) {
  const std::uint64_t cap = max_queued_bytes_.load(std::memory_order_relaxed);
  return refuse(
      Limit::queued_bytes, cap, addr, now, StatusCode::Unavailable,
      fmt::format("Server busy: {} bytes queued for all clients (limit {}); try again later", queued_bytes(), cap));
}

std::optional<Refusal> AbuseLimits::begin_handshake(const std::string& addr, Clock::time_point now) {
  AbuseConfig c;
  bool in_progress = false;  // which limit refused
  {
    std::lock_guard lock(mutex_);
    c = config_;
    const auto rate = static_cast<double>(c.tls_handshake_rate);
    in_progress = over(handshakes_, c.max_tls_handshakes);
    if (!in_progress && (c.tls_handshake_rate == 0 || handshake_bucket_.take(rate, rate, now))) {
      ++handshakes_;
      return std::nullopt;
    }
  }
  if (in_progress)
    return refuse(Limit::tls_handshakes, c.max_tls_handshakes, addr, now, StatusCode::Unavailable,
                  fmt::format("Too many TLS handshakes in progress (limit {}); try again later", c.max_tls_handshakes));
  return refuse(Limit::tls_rate, c.tls_handshake_rate, addr, now, StatusCode::Unavailable,
                fmt::format("Too many TLS handshakes (limit {} per second); try again later", c.tls_handshake_rate));
}

void AbuseLimits::end_handshake() {
  std::lock_guard lock(mutex_);
  if (handshakes_ > 0) --handshakes_;
}

std::size_t AbuseLimits::handshakes() const {
  std::lock_guard lock(mutex_);
  return handshakes_;
}

bool AbuseLimits::idle(Address& a, Clock::time_point now) {
  return a.open == 0 && a.connects.full(connect_rate(), connect_burst(), now) &&
         a.failures.full(failure_rate(), failure_burst(), now);
}

void AbuseLimits::maintain(Clock::time_point now) {
  log_.flush(now);
  std::lock_guard lock(mutex_);
  if (now - last_cleanup_ < kCleanupInterval) return;
  last_cleanup_ = now;
  for (auto it = addresses_.begin(); it != addresses_.end();)
    it = idle(it->second, now) ? addresses_.erase(it) : std::next(it);
}

std::size_t AbuseLimits::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

std::size_t AbuseLimits::unauthenticated() const {
  std::lock_guard lock(mutex_);
  return unauthenticated_;
}

std::size_t AbuseLimits::tracked_addresses() const {
  std::lock_guard lock(mutex_);
  return addresses_.size();
}

}  // namespace edgehub::hub
