#pragma once
// Resume tokens every node of a PostgreSQL cluster accepts
// (docs/CLUSTER.md#resume-tokens-across-nodes): the table TokenTable works
// on, through the CLUSTER thread's jobs and connection, so no network
// thread waits for the database. A token is answered only once it is
// stored; `resume` spends the token and claims the login in one
// transaction, so a login refused because the account is online on
// another node leaves the token as it was.
#include <chrono>
#include <string>

#include "hub/auth/token_store.hpp"
#include "hub/cluster/cluster_calls.hpp"
#include "hub/cluster/login_table.hpp"
#include "hub/cluster/token_table.hpp"
#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

class ClusterTokens final : public ResumeTokenStore {
 public:
  // db, logins: the cluster thread's, used only by the jobs.
  ClusterTokens(ClusterJobs jobs, store::PgConnection& db, LoginTable& logins, std::chrono::seconds lifetime)
      : jobs_(std::move(jobs)), db_(db), table_(db), logins_(logins), lifetime_(lifetime) {}

  boost::asio::awaitable<std::string> issue(const std::string& name, const std::string& certificate) override;
  boost::asio::awaitable<Redeemed> redeem(const DeviceClaim& device, const std::string& token,
                                          const std::string& certificate) override;
  void revoke(const std::string& name) override;
  bool claims_login() const override { return true; }

  // On the cluster thread, at each lease round: keeps the table bounded.
  void reap_expired();

 private:
  // On the cluster thread: both in one transaction.
  Redeemed redeem_and_claim(const DeviceClaim& device, const std::string& digest, const std::string& certificate);

  const ClusterJobs jobs_;
  store::PgConnection& db_;
  TokenTable table_;
  LoginTable& logins_;
  const std::chrono::seconds lifetime_;
};

}  // namespace edgehub::hub
