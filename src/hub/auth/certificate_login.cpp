// `certlogin NAME [UDPPORT]`: a device logs in with the client certificate
// of its TLS connection instead of a password (docs/SECURITY.md#device-certificates,
// docs/PROTOCOL.md#5-logging-in). Checked at every login: the certificate
// chains to --client-ca and is in its validity (the TLS layer's verdict),
// names the account in its CN or a DNS SAN, the account exists, and the
// certificate is not revoked (`edgehubd ca revoke`, or a --client-crl CRL).
#include <fmt/format.h>

#include "hub/auth/login_steps.hpp"
#include "hub/auth/security_log.hpp"
#include "hub/core/command_table.hpp"
#include "hub/core/hub.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

const tls::PeerCertificate* verified_certificate(Session& session) {
  const tls::PeerCertificate* cert = session.peer().client_certificate();
  return cert != nullptr && cert->verified ? cert : nullptr;
}

void refuse_certificate(CommandContext& ctx, const std::string& name, std::string_view why, std::string_view answer) {
  log_security_event(SecurityEvent::cert_refused, ctx.session.ip(), name, why);
  count_login(metrics::LoginResult::certificate);
  count_failure(ctx);
  ctx.err(StatusCode::AuthFailed, answer);
}

bool certificate_usable(CommandContext& ctx, const std::string& name, const tls::PeerCertificate& cert) {
  if (ctx.hub.certificate_revoked(cert)) {
    refuse_certificate(ctx, name, "revoked certificate, serial " + cert.serial,
                       fmt::format("Your device certificate (serial {}) has been revoked", cert.serial));
    return false;
  }
  if (!cert.names(name)) {
    refuse_certificate(ctx, name, "certificate for " + cert.common_name,
                       fmt::format("Your certificate is for {}, not {}", cert.common_name, name));
    return false;
  }
  if (!ctx.hub.accounts()->exists(name)) {
    refuse_certificate(ctx, name, "no such account", fmt::format("There is no account {} on this server", name));
    return false;
  }
  return true;
}

namespace {

boost::asio::awaitable<void> certlogin(CommandContext& ctx) {
  const std::string name = ctx.arg(0);
  const auto udp_port = udp_port_arg(ctx, 1);
  if (!udp_port || refused_by_address(ctx)) co_return;
  if (ctx.hub.config().client_ca.empty())
    co_return refuse_certificate(ctx, name, "certificate logins are off",
                                 "This server does not accept device certificates (edgehubd --client-ca)");
  const tls::PeerCertificate* cert = ctx.session.peer().client_certificate();
  if (cert == nullptr)
    co_return refuse_certificate(ctx, name, "no certificate",
                                 "No client certificate on this connection: connect over TLS with one "
                                 "(edgehub --cert FILE --key FILE)");
  if (!cert->verified)
    co_return refuse_certificate(
        ctx, name, "untrusted certificate: " + cert->verify_error,
        fmt::format("Your certificate is not trusted by this server ({})", cert->verify_error));
  if (!certificate_usable(ctx, name, *cert)) co_return;
  co_await finish_login(ctx, name, *udp_port, cert);
}

}  // namespace

void register_certificate_login(CommandTable& table) {
  table.add({.name = "certlogin",
             .aliases = {},
             .min_args = 1,
             .max_args = 2,
             .access = Access::LoggedOut,
             .usage = "certlogin NAME [UDPPORT]",
             .help = "log in with this TLS connection's device certificate (no password)",
             .handler = certlogin});
}

}  // namespace edgehub::hub
