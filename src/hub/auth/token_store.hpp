#pragma once
// Where the hub keeps resume tokens (docs/SECURITY.md#the-clients-credentials-in-memory,
// docs/CLUSTER.md#resume-tokens-across-nodes). Two implementations:
//   MemoryTokenStore (here): one node (SQLite, the default), ResumeTokens
//     in memory, answered at once without suspending the caller;
//   ClusterTokens (hub/cluster/cluster_tokens.hpp): PostgreSQL, a table
//     every node shares, worked on by the CLUSTER thread.
// The hub picks one (Hub::tokens()); the login commands see only this.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "hub/auth/resume_tokens.hpp"
#include "hub/cluster/cluster.hpp"

namespace edgehub::hub {

// Arguments are references to the caller's named locals, never temporaries
// (GCC 12 and temporaries across a co_await: hub/core/async.hpp).
class ResumeTokenStore {
 public:
  using Redeemed = ResumeTokens::Redeemed;
  virtual ~ResumeTokenStore() = default;

  // A new token for name, replacing the name's previous one, bound to the
  // certificate with this fingerprint (or to none: ""). Returns once every
  // node would accept it; throws if it could not be stored.
  virtual boost::asio::awaitable<std::string> issue(const std::string& name, const std::string& certificate) = 0;
  // Spends device.account's token if it matches, has not expired and its
  // certificate (if bound) is the one presented ("": none). A store that
  // claims_login() also claims the login in the cluster in the same
  // transaction: online_elsewhere (the token unspent) if another node
  // holds it. Throws if the database could not say.
  virtual boost::asio::awaitable<Redeemed> redeem(const DeviceClaim& device, const std::string& token,
                                                  const std::string& certificate) = 0;
  // Spends name's token, if any (a new password, an account removed).
  // Fire and forget: a failure is logged.
  virtual void revoke(const std::string& name) = 0;
  // True if redeem() claims the login too, so the login must not claim it
  // again.
  virtual bool claims_login() const = 0;
};

class MemoryTokenStore final : public ResumeTokenStore {
 public:
  explicit MemoryTokenStore(std::chrono::seconds lifetime) : tokens_(lifetime) {}

  boost::asio::awaitable<std::string> issue(const std::string& name, const std::string& certificate) override {
    co_return tokens_.issue(name, ResumeTokens::Clock::now(), certificate);
  }
  boost::asio::awaitable<Redeemed> redeem(const DeviceClaim& device, const std::string& token,
                                          const std::string& certificate) override {
    co_return tokens_.redeem(device.account, token, ResumeTokens::Clock::now(), certificate);
  }
  void revoke(const std::string& name) override { tokens_.revoke(name); }
  bool claims_login() const override { return false; }

 private:
  ResumeTokens tokens_;
};

}  // namespace edgehub::hub
