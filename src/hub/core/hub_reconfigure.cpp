// Hub::reconfigure (hub.hpp): a SIGHUP's new limits, installed as a new
// configuration snapshot and handed to the parts that keep their own copy.
#include "hub/core/hub.hpp"
#include "hub/files/repository.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "hub/p2p/swarm_tracker.hpp"

namespace edgehub::hub {

RepositoryLimits Hub::repository_limits(const HubConfig& config) {
  return {config.max_file_size,
          config.max_repo_size,
          {config.upload_budget_per_user, config.upload_budget, config.keep_free}};
}

void Hub::reconfigure(const std::function<void(HubConfig&)>& change) {
  std::lock_guard lock(reconfigure_mutex_);  // one reload at a time; snapshots are appended under it
  HubConfig next = config();
  change(next);
  const HubConfig& installed = configs_.emplace_back(std::move(next));
  lockout_.reconfigure(installed.max_attempts, installed.block_time);
  repository_->reconfigure(repository_limits(installed));
  messaging_->reconfigure(installed.max_offline_messages, installed.broadcast_budget);
  swarm_->reconfigure(installed.swarm);
  abuse_.reconfigure(installed.abuse);
  config_.store(&installed, std::memory_order_release);
}

}  // namespace edgehub::hub
