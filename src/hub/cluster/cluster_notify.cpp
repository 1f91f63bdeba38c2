#include "hub/cluster/cluster_notify.hpp"

#include <spdlog/spdlog.h>

#include "hub/cluster/event_log.hpp"

namespace edgehub::hub {
namespace {

constexpr store::PgStatement kNotify{"cluster_notify", "SELECT pg_notify('edgehub_cluster', $1)"};

}  // namespace

void notify_cluster(store::PgConnection& db, std::vector<std::string>& payloads, std::string_view what) noexcept {
  if (payloads.empty()) return;
  try {
    db.in_transaction([&] {
      db.exec("SET LOCAL synchronous_commit TO off");
      for (const auto& payload : payloads) db.run(logged_event(payload) ? kLogAndNotify : kNotify, {payload});
    });
  } catch (const std::exception& e) {
    spdlog::warn("cluster: could not {} ({} event(s)): {}", what, payloads.size(), e.what());
  }
  payloads.clear();
}

}  // namespace edgehub::hub
