#pragma once
// The table cluster_resume_tokens (migration 3, store/postgres/postgres_schema.cpp;
// docs/CLUSTER.md#resume-tokens-across-nodes): one token per account,
// kept as digests, valid until the database's clock says otherwise. Each
// call is one statement, its own transaction unless the caller opened one;
// PostgresCluster calls them on its CLUSTER thread only.
#include <chrono>
#include <optional>
#include <string>

#include "hub/auth/resume_tokens.hpp"
#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

class TokenTable {
 public:
  using Redeemed = ResumeTokens::Redeemed;
  explicit TokenTable(store::PgConnection& db) : db_(db) {}

  // Replaces the account's token. Digests as ResumeTokens::digest_hex;
  // certificate "" for a token bound to none.
  void issue(const std::string& account, const std::string& digest, const std::string& certificate,
             std::chrono::seconds lifetime);
  // Spends the token if it matches, is live and is bound to `certificate`
  // or to none, in one statement: of two nodes spending one token, one
  // wins. Never spends a token bound to another certificate.
  Redeemed redeem(const std::string& account, const std::string& digest, const std::string& certificate);
  void revoke(const std::string& account);
  // Deletes the expired tokens; returns how many.
  std::int64_t reap_expired();

 private:
  store::PgConnection& db_;
};

// What redeem's one row says. spent: the token was deleted (true: it was
// bound to a certificate); if not, bound_elsewhere: it is live and
// matches, but is bound to a certificate other than the one presented.
ResumeTokens::Redeemed redeemed_of(std::optional<bool> spent, bool bound_elsewhere);

}  // namespace edgehub::hub
