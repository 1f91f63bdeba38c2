// A running hub picks up `edgehubd user add|passwd|del|unlock`, which write
// to the database from another process (docs/SECURITY.md#accounts).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "hub/core/hub.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

std::shared_ptr<const Accounts> Hub::accounts() const {
  std::lock_guard lock(accounts_mutex_);
  return accounts_;
}

// One check at a time; PRAGMA data_version only moves when another
// connection commits, so the hub's own writes never trigger a reload.
void Hub::reload_accounts_if_changed() {
  if (config_.guest_mode || reload_pending_.exchange(true)) return;
  auto changed = std::make_shared<std::optional<std::pair<std::vector<store::Account>, std::vector<std::string>>>>();
  store_.submit({[this, changed](store::Store& st) {
                   // Without a version from start-up (accounts_loaded_at),
                   // the first check only sets the baseline.
                   const std::int64_t version = st.data_version();
                   const bool baseline = !data_version_;
                   if (data_version_ == version) return;
                   data_version_ = version;
                   if (!baseline) *changed = std::make_pair(st.load_accounts(), st.take_unlock_requests());
                 },
                 [this, changed](std::exception_ptr error) {
                   reload_pending_ = false;
                   if (error || !*changed) return;
                   apply_account_changes(std::move((*changed)->first), std::move((*changed)->second));
                 }});
}

void Hub::apply_account_changes(std::vector<store::Account> accounts, std::vector<std::string> unlocks) {
  std::shared_ptr<const Accounts> next;
  {
    std::lock_guard lock(accounts_mutex_);
    next = accounts_->replaced_by(accounts);
    accounts_ = next;
  }
  spdlog::info("accounts reloaded: {} accounts", next->size());
  for (const auto& name : unlocks) {
    lockout_.unlock(name);
    spdlog::info("security: event=unlock user={}", name);
  }
  // A device whose account was deleted is logged out: its password no
  // longer exists, so it must not keep acting under that name.
  for (const auto& device : directory_.online_peers()) {
    if (next->exists(device.name)) continue;
    spdlog::info("security: event=account_deleted user={} (logged out)", device.name);
    device.peer->send(make_bytes(protocol::encode_event("BYE", "Your account was removed")));
    device.peer->close_after_flush();
  }
}

}  // namespace edgehub::hub
