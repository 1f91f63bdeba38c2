// A running hub picks up `edgehubd user add|passwd|del|unlock`, which write
// to the database from another process (docs/SECURITY.md#accounts).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "hub/auth/security_log.hpp"
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
  reload_crl_if_changed();  // --client-crl rides on the same once-a-second check
  if (config().guest_mode || reload_pending_.exchange(true)) return;
  auto changed = std::make_shared<std::optional<AccountChanges>>();
  store_.submit(
      {[this, changed](store::Store& st) {
         // Without a version from start-up (accounts_loaded_at),
         // the first check only sets the baseline.
         const std::int64_t version = st.data_version();
         const bool baseline = !data_version_;
         if (data_version_ == version) return;
         data_version_ = version;
         if (!baseline)
           *changed = AccountChanges{st.load_accounts(), st.take_unlock_requests(), st.load_revoked_serials()};
       },
       [this, changed](std::exception_ptr error) {
         reload_pending_ = false;
         if (error || !*changed) return;
         apply_account_changes(std::move(**changed));
       }});
}

void Hub::set_revoked_certificates(const std::vector<std::string>& serials) {
  auto next = std::make_shared<const std::unordered_set<std::string>>(serials.begin(), serials.end());
  std::lock_guard lock(accounts_mutex_);
  revoked_ = std::move(next);
}

bool Hub::certificate_revoked(const tls::PeerCertificate& cert) const {
  std::lock_guard lock(accounts_mutex_);
  return (revoked_ && revoked_->count(cert.serial) > 0) ||
         (crl_revoked_ && crl_revoked_->count(tls::revocation_key(cert.issuer, cert.serial)) > 0);
}

void Hub::apply_account_changes(AccountChanges changes) {
  std::shared_ptr<const Accounts> next;
  std::shared_ptr<const Accounts> previous;
  {
    std::lock_guard lock(accounts_mutex_);
    previous = accounts_;
    next = accounts_->replaced_by(changes.accounts);
    accounts_ = next;
  }
  // A resume token stands in for the password it was issued under: a new
  // password (`edgehubd user passwd`, the console's reset) or a deleted
  // account spends it, so a stolen token does not outlive the reset. With
  // several nodes each one does, when it reloads (the same delete).
  for (const auto& name : next->passwords_changed_since(*previous)) tokens_.revoke(name);
  set_revoked_certificates(changes.revoked);
  spdlog::info("accounts reloaded: {} accounts, {} revoked certificates", next->size(), changes.revoked.size());
  for (const auto& name : changes.unlocks) {
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
  log_out_revoked();
}

// A device connected with a certificate revoked meanwhile is logged out,
// however it logged in: the certificate is no longer its identity.
void Hub::log_out_revoked() {
  for (const auto& device : directory_.online_peers()) {
    const tls::PeerCertificate* cert = device.peer->client_certificate();
    if (cert == nullptr || !certificate_revoked(*cert)) continue;
    log_security_event(SecurityEvent::cert_refused, device.peer->remote_ip(), device.name,
                       "certificate revoked while logged in, serial " + cert->serial);
    device.peer->send(make_bytes(protocol::encode_event("BYE", "Your device certificate was revoked")));
    device.peer->close_after_flush();
  }
}

}  // namespace edgehub::hub
