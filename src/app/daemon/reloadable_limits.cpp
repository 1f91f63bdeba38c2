#include "app/daemon/reloadable_limits.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <type_traits>

#include <fmt/format.h>

namespace edgehub::app {
namespace {

using hub::HubConfig;

std::string text_of(std::chrono::seconds s) { return std::to_string(s.count()); }
template <class Number>
requires std::is_integral_v<Number> std::string text_of(Number n) { return std::to_string(n); }

struct Reloadable {
  const char* option;  // as in the configuration file
  std::function<std::string(const HubConfig&)> show;
  std::function<void(const HubConfig& from, HubConfig& to)> take;
};

// member(config) names the setting in a const and in a mutable HubConfig.
template <class Member>
Reloadable setting(const char* option, Member member) {
  return {option, [member](const HubConfig& c) { return text_of(member(c)); },
          [member](const HubConfig& from, HubConfig& to) { member(to) = member(from); }};
}

#define EDGEHUB_FIELD(path) \
  [](auto& c) -> auto& { return c.path; }

// Not here, because they need a restart: what sizes a pool or a table at
// start-up (--threads, the login verification slots), the token lifetime
// (tokens carry their expiry), the argon2 cost (it fixes stored hashes).
const std::vector<Reloadable>& reloadables() {
  static const std::vector<Reloadable> all = {
      setting("max-attempts", EDGEHUB_FIELD(max_attempts)),
      setting("block-seconds", EDGEHUB_FIELD(block_time)),
      setting("idle-timeout", EDGEHUB_FIELD(idle_timeout)),
      setting("login-timeout", EDGEHUB_FIELD(login_timeout)),
      setting("heartbeat", EDGEHUB_FIELD(heartbeat)),
      {"no-presence", [](const HubConfig& c) { return std::string(c.presence_default ? "false" : "true"); },
       [](const HubConfig& from, HubConfig& to) { to.presence_default = from.presence_default; }},
      setting("max-file-size", EDGEHUB_FIELD(max_file_size)),
      setting("max-repo-size", EDGEHUB_FIELD(max_repo_size)),
      setting("upload-budget-per-user", EDGEHUB_FIELD(upload_budget_per_user)),
      setting("upload-budget", EDGEHUB_FIELD(upload_budget)),
      setting("keep-free", EDGEHUB_FIELD(keep_free)),
      setting("upload-timeout", EDGEHUB_FIELD(upload_timeout)),
      setting("max-offline", EDGEHUB_FIELD(max_offline_messages)),
      setting("broadcast-budget", EDGEHUB_FIELD(broadcast_budget)),
      setting("swarm-max-files", EDGEHUB_FIELD(swarm.max_files)),
      setting("swarm-max-chunks", EDGEHUB_FIELD(swarm.max_chunks)),
      setting("swarm-max-manifest-bytes", EDGEHUB_FIELD(swarm.max_manifest_bytes)),
      setting("swarm-max-memory", EDGEHUB_FIELD(swarm.max_memory)),
      setting("max-clients", EDGEHUB_FIELD(abuse.max_connections)),
      setting("connect-rate", EDGEHUB_FIELD(abuse.connect_rate)),
      setting("connect-burst", EDGEHUB_FIELD(abuse.connect_burst)),
      setting("max-per-address", EDGEHUB_FIELD(abuse.max_per_address)),
      setting("max-failed-logins", EDGEHUB_FIELD(abuse.failed_logins_per_minute)),
      setting("max-unauthenticated", EDGEHUB_FIELD(abuse.max_unauthenticated)),
      setting("max-queued-bytes", EDGEHUB_FIELD(abuse.max_queued_bytes)),
      setting("max-tls-handshakes", EDGEHUB_FIELD(abuse.max_tls_handshakes)),
      setting("tls-handshake-rate", EDGEHUB_FIELD(abuse.tls_handshake_rate)),
  };
  return all;
}

#undef EDGEHUB_FIELD

}  // namespace

std::vector<std::string> take_reloadable_limits(const HubConfig& fresh, HubConfig& running) {
  std::vector<std::string> changes;
  for (const auto& r : reloadables()) {
    const std::string was = r.show(running);
    const std::string now = r.show(fresh);
    if (was == now) continue;
    r.take(fresh, running);
    changes.push_back(fmt::format("--{} {} (was {})", r.option, now, was));
  }
  return changes;
}

bool is_reloadable_limit(std::string_view option) {
  const auto& all = reloadables();
  return std::any_of(all.begin(), all.end(), [option](const Reloadable& r) { return option == r.option; });
}

}  // namespace edgehub::app
