#include "hub/cluster/token_table.hpp"

namespace edgehub::hub {
namespace {

using store::PgStatement;

constexpr PgStatement kIssueToken{
    "cluster_token_issue",
    "INSERT INTO cluster_resume_tokens (account, digest, certificate, expires_at) "
    "VALUES ($1, $2, NULLIF($3, ''), now() + make_interval(secs => $4::float8)) "
    "ON CONFLICT (account) DO UPDATE SET digest = EXCLUDED.digest, certificate = EXCLUDED.certificate, "
    "expires_at = EXCLUDED.expires_at"};
// The DELETE waits for another transaction spending the same row and then
// finds it gone, so only one wins. The EXISTS reads the statement's
// snapshot: a row another node spent meanwhile may still be seen there,
// hence it asks only whether the token is bound elsewhere, which a
// spent token of the right certificate never is.
constexpr PgStatement kRedeemToken{
    "cluster_token_redeem",
    "WITH spent AS (DELETE FROM cluster_resume_tokens WHERE account = $1 AND digest = $2 AND expires_at > now() "
    "AND (certificate IS NULL OR certificate = $3) RETURNING certificate IS NOT NULL AS bound) "
    "SELECT (SELECT bound FROM spent), EXISTS (SELECT 1 FROM cluster_resume_tokens WHERE account = $1 "
    "AND digest = $2 AND expires_at > now() AND certificate IS NOT NULL AND certificate <> $3)"};
constexpr PgStatement kRevokeToken{"cluster_token_revoke", "DELETE FROM cluster_resume_tokens WHERE account = $1"};
constexpr PgStatement kReapTokens{"cluster_token_reap", "DELETE FROM cluster_resume_tokens WHERE expires_at <= now()"};

}  // namespace

ResumeTokens::Redeemed redeemed_of(std::optional<bool> spent, bool bound_elsewhere) {
  using Redeemed = ResumeTokens::Redeemed;
  if (spent) return *spent ? Redeemed::ok_certificate : Redeemed::ok;
  return bound_elsewhere ? Redeemed::other_certificate : Redeemed::invalid;
}

void TokenTable::issue(const std::string& account, const std::string& digest, const std::string& certificate,
                       std::chrono::seconds lifetime) {
  db_.run(kIssueToken, {account, digest, certificate, std::to_string(lifetime.count())});
}

TokenTable::Redeemed TokenTable::redeem(const std::string& account, const std::string& digest,
                                        const std::string& certificate) {
  const auto row = db_.run(kRedeemToken, {account, digest, certificate});
  const std::optional<bool> spent = row.is_null(0, 0) ? std::nullopt : std::optional<bool>(row.text(0, 0) == "t");
  return redeemed_of(spent, row.text(0, 1) == "t");
}

void TokenTable::revoke(const std::string& account) { db_.run(kRevokeToken, {account}); }

std::int64_t TokenTable::reap_expired() { return db_.run(kReapTokens).affected(); }

}  // namespace edgehub::hub
