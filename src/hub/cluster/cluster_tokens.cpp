#include "hub/cluster/cluster_tokens.hpp"

#include <spdlog/spdlog.h>

namespace edgehub::hub {
namespace {

// The digest kept of a certificate's fingerprint; "" for none.
std::string certificate_digest(const std::string& fingerprint) {
  return fingerprint.empty() ? std::string() : ResumeTokens::digest_hex(fingerprint);
}

}  // namespace

boost::asio::awaitable<std::string> ClusterTokens::issue(const std::string& name, const std::string& certificate) {
  return on_cluster_thread(jobs_, [this, name, bound = certificate_digest(certificate)] {
    std::string token = ResumeTokens::new_token();
    table_.issue(name, ResumeTokens::digest_hex(token), bound, lifetime_);
    return token;
  });
}

boost::asio::awaitable<ResumeTokenStore::Redeemed> ClusterTokens::redeem(const DeviceClaim& device,
                                                                         const std::string& token,
                                                                         const std::string& certificate) {
  return on_cluster_thread(
      jobs_, [this, device, digest = ResumeTokens::digest_hex(token), presented = certificate_digest(certificate)] {
        return redeem_and_claim(device, digest, presented);
      });
}

ResumeTokenStore::Redeemed ClusterTokens::redeem_and_claim(const DeviceClaim& device, const std::string& digest,
                                                           const std::string& certificate) {
  db_.begin();
  try {
    const Redeemed redeemed = table_.redeem(device.account, digest, certificate);
    const bool spent = redeemed == Redeemed::ok || redeemed == Redeemed::ok_certificate;
    if (spent && !logins_.claim(device).won) {
      db_.rollback();  // the token is left as it was
      return Redeemed::online_elsewhere;
    }
    db_.commit();
    return redeemed;
  } catch (...) {
    db_.rollback_after_failure();
    throw;
  }
}

void ClusterTokens::revoke(const std::string& name) {
  jobs_([this, name] {
    try {
      table_.revoke(name);
    } catch (const std::exception& e) {
      // It still expires; until then it resumes without the new password.
      spdlog::warn("cluster: could not revoke {}'s resume token: {}", name, e.what());
    }
  });
}

void ClusterTokens::reap_expired() {
  if (const auto n = table_.reap_expired(); n > 0) spdlog::debug("cluster: {} expired resume tokens removed", n);
}

}  // namespace edgehub::hub
