#include "app/daemon/reload.hpp"

#include <spdlog/spdlog.h>

#include "app/daemon/logging.hpp"
#include "app/disk_startup.hpp"
#include "app/server_limit_options.hpp"
#include "hub/auth/accounts.hpp"
#include "net/control_signals.hpp"

namespace edgehub::app {
namespace {

void import_now(const ServerSettings& settings, const std::function<bool()>& stop) {
  try {
    auto db = open_database(settings.hub, settings.database);
    hub::BatchControl control;
    control.stop = stop;
    const auto report = hub::import_credentials(*db, settings.hub.credentials.string(), settings.hub.argon2, control);
    for (const auto& w : report.warnings) spdlog::warn("{}: {}", settings.hub.credentials.string(), w);
    if (report.unreadable)
      spdlog::warn("SIGHUP: cannot read the credentials file {}: {}; the accounts stay as they are",
                   settings.hub.credentials.string(), *report.unreadable);
    else if (report.interrupted || report.unstored)
      spdlog::warn("SIGHUP: the credentials file {} was not imported ({})", settings.hub.credentials.string(),
                   report.interrupted ? "the server is stopping" : report.store_error);
    else
      spdlog::warn("SIGHUP: credentials file {}: {} accounts ({})", settings.hub.credentials.string(), report.accounts,
                   report.reimported ? "imported again" : "unchanged");
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: could not import the credentials file {}: {}", settings.hub.credentials.string(), e.what());
  }
}

}  // namespace

Reloader::~Reloader() {
  if (import_.joinable()) import_.join();
}

void Reloader::on_sighup() {
  const bool reopened = reopen_log();  // first: logrotate has moved the old file away
  const auto fresh = parse_server_options(argc_, argv_);
  if (!fresh.settings) {
    spdlog::error("SIGHUP: the configuration does not parse any more (the reason is on stderr); nothing reloaded");
    return;
  }
  if (fresh.settings->log_level != running_.log_level) {
    spdlog::set_level(spdlog::level::from_str(fresh.settings->log_level));
    spdlog::warn("SIGHUP: log level {} (was {})", fresh.settings->log_level, running_.log_level);
    running_.log_level = fresh.settings->log_level;
  }
  if (fresh.settings->log_file != running_.log_file)
    spdlog::warn("SIGHUP: log-file changed to '{}'; restart edgehubd to log there", fresh.settings->log_file);
  if (fresh.settings->hub.credentials != running_.hub.credentials)
    spdlog::warn("SIGHUP: credentials changed to '{}'; restart edgehubd to read that file instead",
                 fresh.settings->hub.credentials.string());
  reload_certificate(*fresh.settings);
  reload_abuse_limits(*fresh.settings);
  spdlog::warn(
      "SIGHUP: {}log level {}; not reloaded (restart edgehubd to change them): addresses and ports, the data "
      "directory and database, the other limits and the timeouts, the client CA and CRL options",
      running_.log_file.empty() ? "" : (reopened ? "log file reopened; " : "log file NOT reopened; "),
      running_.log_level);
  if (!running_.hub.guest_mode) reimport_credentials();
}

void Reloader::reload_certificate(const ServerSettings& fresh) {
  if (fresh.tls_files.has_value() != running_.tls_files.has_value() ||
      (fresh.tls_files && (fresh.tls_files->certificate_chain != running_.tls_files->certificate_chain ||
                           fresh.tls_files->private_key != running_.tls_files->private_key)))
    spdlog::warn("SIGHUP: cert/key options changed; restart edgehubd to use other files. Reading {} again",
                 targets_.certificate.files.certificate_chain.string());
  try {
    const std::string fingerprint = targets_.certificate.slot->replace(targets_.certificate.files);
    if (fingerprint == targets_.certificate.fingerprint) {
      spdlog::warn("SIGHUP: TLS certificate unchanged ({})", fingerprint);
      return;
    }
    spdlog::warn("SIGHUP: TLS certificate reloaded: fingerprint {} (was {}); new connections get it", fingerprint,
                 targets_.certificate.fingerprint);
    targets_.certificate.fingerprint = fingerprint;
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: {}; still serving the certificate {}", e.what(), targets_.certificate.fingerprint);
  }
}

void Reloader::reload_abuse_limits(const ServerSettings& fresh) {
  const hub::AbuseConfig& before = running_.hub.abuse;
  const hub::AbuseConfig& after = fresh.hub.abuse;
  const auto changes = changed_abuse_limits(before, after);
  if (changes.empty()) return;
  targets_.abuse.reconfigure(after);
  running_.hub.abuse = after;
  for (const auto& change : changes) spdlog::warn("SIGHUP: {}", change);
}

void Reloader::reimport_credentials() {
  if (importing_.exchange(true)) {
    spdlog::warn("SIGHUP: the credentials file is still being imported; not started again");
    return;
  }
  if (import_.joinable()) import_.join();      // the previous import, over
  const net::ControlSignalsBlocked inherited;  // they are the main loop's (net/control_signals.hpp)
  import_ = std::thread([this, settings = running_] {
    import_now(settings, stop_);
    importing_ = false;
  });
}

}  // namespace edgehub::app
