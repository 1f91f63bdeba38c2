#pragma once
// Browser sessions (docs/HTTP_API.md#browser-sessions): the cookie is 256
// random bits, kept here only as its SHA-256; each session has its CSRF
// token, an idle and an absolute expiry, and its hub device (WebDevice).
// The table is bounded; every method may be called from any thread.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time_format.hpp"
#include "web/api/web_device.hpp"
#include "web/core/route.hpp"

namespace edgehub::web::api {

struct SessionLimits {
  std::chrono::seconds idle{30 * 60};        // --http-session-idle
  std::chrono::seconds lifetime{12 * 3600};  // --http-session-max
  std::size_t max_sessions = 10000;
};

// Milliseconds of a steady clock; tests give their own.
using SteadyClock = std::function<std::int64_t()>;

class BrowserSession final : public WebSession {
 public:
  BrowserSession(std::string name, bool admin, std::string csrf, std::shared_ptr<WebDevice> device, std::int64_t now_ms,
                 SystemTime expires);
  const std::string& name() const override { return name_; }
  bool is_admin() const override { return admin_; }
  const std::string& csrf_token() const override { return csrf_; }
  void touch() override;

  WebDevice& device() { return *device_; }
  const std::shared_ptr<WebDevice>& shared_device() const { return device_; }
  // When it ends at the latest (the absolute expiry), for the login's answer.
  SystemTime expires() const { return expires_; }
  bool expired(std::int64_t now_ms, const SessionLimits& limits) const;
  void set_clock(SteadyClock clock) { clock_ = std::move(clock); }

 private:
  std::string name_;
  bool admin_;
  std::string csrf_;
  std::shared_ptr<WebDevice> device_;
  std::int64_t created_ms_;
  std::atomic<std::int64_t> last_used_ms_;
  SystemTime expires_;
  SteadyClock clock_;
};

class SessionTable final : public SessionResolver {
 public:
  explicit SessionTable(SessionLimits limits = {}, SteadyClock clock = {});
  ~SessionTable() override = default;

  struct Created {
    std::string cookie;  // the value for Set-Cookie; not kept here
    std::shared_ptr<BrowserSession> session;
  };
  // A new session for a device logged in as name; session null if the
  // table is full (after dropping expired ones).
  Created create(const std::string& name, bool admin, std::shared_ptr<WebDevice> device);
  std::shared_ptr<WebSession> find(std::string_view cookie_value) override;
  // Ends a session: its device logs out (logout, expiry).
  void end(const BrowserSession& session, const std::string& reason);
  // A browser login of name is under way: its !LOGIN already says "web".
  // Undone by login_failed, or kept by create().
  void login_starting(const std::string& name);
  void login_failed(const std::string& name);
  // Ends every session (server shutdown, tests).
  void end_all(const std::string& reason);
  // False once session has expired (or ended): the heartbeat's answer.
  bool is_live(const BrowserSession& session) const;
  // "web" while name has a browser session, else "terminal".
  std::string kind_of(const std::string& name) const;
  const SessionLimits& limits() const { return limits_; }
  std::size_t size() const;

 private:
  void drop_expired_locked(std::int64_t now, std::vector<std::shared_ptr<BrowserSession>>& ended);
  std::int64_t now() const;

  SessionLimits limits_;
  SteadyClock clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<BrowserSession>> by_digest_;
  std::unordered_map<std::string, std::size_t> names_;  // name -> sessions
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace edgehub::web::api
