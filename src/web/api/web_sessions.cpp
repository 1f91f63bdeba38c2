// Browser sessions (docs/HTTP_API.md#browser-sessions).
#include "web/api/web_sessions.hpp"

#include <sodium.h>

#include <vector>

#include "common/sha256.hpp"
#include "common/strings.hpp"

namespace edgehub::web::api {

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string random_hex() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  return to_hex(raw, sizeof raw);
}

std::int64_t ms(std::chrono::seconds s) { return static_cast<std::int64_t>(s.count()) * 1000; }

}  // namespace

BrowserSession::BrowserSession(std::string name, bool admin, std::string csrf, std::shared_ptr<WebDevice> device,
                               std::int64_t now_ms, SystemTime expires)
    : name_(std::move(name)),
      admin_(admin),
      csrf_(std::move(csrf)),
      device_(std::move(device)),
      created_ms_(now_ms),
      last_used_ms_(now_ms),
      expires_(expires) {}

void BrowserSession::touch() { last_used_ms_.store(clock_ ? clock_() : steady_ms()); }

bool BrowserSession::expired(std::int64_t now_ms, const SessionLimits& limits) const {
  return now_ms - last_used_ms_.load() >= ms(limits.idle) || now_ms - created_ms_ >= ms(limits.lifetime);
}

SessionTable::SessionTable(SessionLimits limits, SteadyClock clock) : limits_(limits), clock_(std::move(clock)) {}

std::int64_t SessionTable::now() const { return clock_ ? clock_() : steady_ms(); }

SessionTable::Created SessionTable::create(const std::string& name, bool admin, std::shared_ptr<WebDevice> device) {
  const std::int64_t t = now();
  const SystemTime expires = std::chrono::system_clock::now() + limits_.lifetime;
  auto session = std::make_shared<BrowserSession>(name, admin, random_hex(), std::move(device), t, expires);
  session->set_clock(clock_);
  std::string cookie = random_hex();
  std::vector<std::shared_ptr<BrowserSession>> ended;
  {
    std::lock_guard lock(mutex_);
    drop_expired_locked(t, ended);
    if (by_digest_.size() < limits_.max_sessions) {
      by_digest_.emplace(sha256_hex(cookie), session);
    } else {
      session.reset();
    }
  }
  for (auto& s : ended) s->device().stop("Session expired");
  if (!session) login_failed(name);
  return {session ? std::move(cookie) : std::string(), std::move(session)};
}

std::shared_ptr<WebSession> SessionTable::find(std::string_view cookie_value) {
  const std::int64_t t = now();
  std::shared_ptr<BrowserSession> found;
  std::vector<std::shared_ptr<BrowserSession>> ended;
  {
    std::lock_guard lock(mutex_);
    // A cheap sweep at most once a second, so expired sessions log out even
    // if nobody presents their cookie again.
    if (t - last_sweep_ms_ >= 1000) {
      last_sweep_ms_ = t;
      drop_expired_locked(t, ended);
    }
    auto it = by_digest_.find(sha256_hex(cookie_value));
    if (it != by_digest_.end()) {
      if (it->second->expired(t, limits_)) {
        ended.push_back(it->second);
        if (--names_[it->second->name()] == 0) names_.erase(it->second->name());
        by_digest_.erase(it);
      } else {
        found = it->second;
      }
    }
  }
  for (auto& s : ended) s->device().stop("Session expired");
  if (found) found->touch();
  return found;
}

void SessionTable::drop_expired_locked(std::int64_t t, std::vector<std::shared_ptr<BrowserSession>>& ended) {
  for (auto it = by_digest_.begin(); it != by_digest_.end();) {
    if (!it->second->expired(t, limits_)) {
      ++it;
      continue;
    }
    ended.push_back(it->second);
    if (--names_[it->second->name()] == 0) names_.erase(it->second->name());
    it = by_digest_.erase(it);
  }
}

void SessionTable::end(const BrowserSession& session, const std::string& reason) {
  std::shared_ptr<BrowserSession> removed;
  {
    std::lock_guard lock(mutex_);
    for (auto it = by_digest_.begin(); it != by_digest_.end(); ++it) {
      if (it->second.get() != &session) continue;
      removed = it->second;
      if (--names_[session.name()] == 0) names_.erase(session.name());
      by_digest_.erase(it);
      break;
    }
  }
  if (removed) removed->device().stop(reason);
}

void SessionTable::login_starting(const std::string& name) {
  std::lock_guard lock(mutex_);
  ++names_[name];
}

void SessionTable::login_failed(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = names_.find(name); it != names_.end() && --it->second == 0) names_.erase(it);
}

void SessionTable::end_all(const std::string& reason) {
  std::unordered_map<std::string, std::shared_ptr<BrowserSession>> all;
  {
    std::lock_guard lock(mutex_);
    all.swap(by_digest_);
    names_.clear();
  }
  for (auto& [digest, session] : all) session->device().stop(reason);
}

bool SessionTable::is_live(const BrowserSession& session) const { return !session.expired(now(), limits_); }

std::string SessionTable::kind_of(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return names_.contains(name) ? "web" : "terminal";
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return by_digest_.size();
}

}  // namespace edgehub::web::api
