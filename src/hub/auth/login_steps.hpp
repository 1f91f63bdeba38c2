#pragma once
// Steps shared by the login commands: `login`, `resume` (auth_handlers.cpp)
// and `certlogin` (certificate_login.cpp); docs/PROTOCOL.md#5-logging-in.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/metrics/catalog.hpp"
#include "hub/core/command_context.hpp"
#include "tls/peer_certificate.hpp"

namespace edgehub::hub {

class CommandTable;

// Counts one login attempt's result in /metrics (docs/METRICS.md#every-metric).
void count_login(metrics::LoginResult result);

// Parses the optional UDPPORT argument; replies and returns nullopt if bad.
std::optional<int> udp_port_arg(CommandContext& ctx, std::size_t index);

// Every refused login costs its address one of --max-failed-logins
// (docs/SECURITY.md#abuse-limits).
void count_failure(CommandContext& ctx);
// True (after telling the client and closing) if its address has used up
// its failed logins.
bool refused_by_address(CommandContext& ctx);

// Whether the login still has to claim the account in the cluster, or its
// resume did already (ResumeTokenStore::claims_login).
enum class ClusterClaim { needed, made };

// The end of every successful authentication: registers the login (in the
// whole cluster first, when there is one: docs/CLUSTER.md#logins-across-nodes),
// answers, and sends a resume token, bound to `bound` when it is a
// certificate login, once it is stored (docs/CLUSTER.md#resume-tokens-across-nodes).
boost::asio::awaitable<void> finish_login(CommandContext& ctx, const std::string& name, int udp_port,
                                          const tls::PeerCertificate* bound, ClusterClaim claim = ClusterClaim::needed);

// The verified client certificate of this connection, nullptr if none
// (docs/SECURITY.md#device-certificates).
const tls::PeerCertificate* verified_certificate(Session& session);

// Refuses a certificate login or resume: -ERR 401 `answer`, a cert_refused
// line in the security log with `why`; counts as a failed login of the address.
void refuse_certificate(CommandContext& ctx, const std::string& name, std::string_view why, std::string_view answer);

// True if cert, verified, may log in as name now: it names the account,
// which exists, and is not revoked. Otherwise refuses and returns false.
bool certificate_usable(CommandContext& ctx, const std::string& name, const tls::PeerCertificate& cert);

void register_certificate_login(CommandTable& table);

}  // namespace edgehub::hub
