#include "app/daemon/reload.hpp"

#include <spdlog/spdlog.h>

#include <sstream>

#include "app/daemon/logging.hpp"
#include "app/daemon/reloadable_limits.hpp"
#include "app/disk_startup.hpp"
#include "common/strings.hpp"
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

// --print-config's lines by option name: "name = value", or "# name = ..."
// for one not set.
std::map<std::string, std::string> lines_by_option(const std::string& config_text) {
  std::map<std::string, std::string> lines;
  std::istringstream text(config_text);
  for (std::string line; std::getline(text, line);) {
    const std::string_view setting = line.starts_with("# ") ? std::string_view(line).substr(2) : line;
    const auto equals = setting.find(" = ");
    if (equals != std::string_view::npos) lines[std::string(setting.substr(0, equals))] = line;
  }
  return lines;
}

// "value" of "name = value", "not set" of "# name =   (not set)".
std::string value_in(const std::string& line) {
  const auto equals = line.find(" = ");
  if (equals == std::string::npos) return "not set";
  const std::string value{trim(std::string_view(line).substr(equals + 3))};
  if (line.starts_with("# ")) return value.empty() || value.starts_with("(") ? "not set" : value;
  return value;
}

// Applied by name elsewhere, or named by reload_certificate.
bool reloaded_or_named_elsewhere(const std::string& option) {
  return option == "log-level" || option == "cert" || option == "key" || is_reloadable_limit(option);
}

}  // namespace

Reloader::Reloader(int argc, char** argv, ServerSettings& running, Targets targets, std::function<bool()> stop)
    : argc_(argc),
      argv_(argv),
      running_(running),
      targets_(std::move(targets)),
      stop_(std::move(stop)),
      in_force_(lines_by_option(running.config_text)) {}

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
  reload_certificate(*fresh.settings);
  reload_limits(*fresh.settings);
  name_what_needs_a_restart(*fresh.settings);
  spdlog::warn("SIGHUP: reload done: {}log level {}; limits and timeouts as configured",
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

void Reloader::reload_limits(const ServerSettings& fresh) {
  const auto changes = take_reloadable_limits(fresh.hub, running_.hub);
  if (changes.empty()) return;
  targets_.hub.reconfigure([&fresh](hub::HubConfig& in_force) { take_reloadable_limits(fresh.hub, in_force); });
  for (const auto& change : changes) spdlog::warn("SIGHUP: {}", change);
}

void Reloader::name_what_needs_a_restart(const ServerSettings& fresh) {
  for (const auto& [option, line] : lines_by_option(fresh.config_text)) {
    std::string& in_force = in_force_[option];
    if (line == in_force) continue;
    if (reloaded_or_named_elsewhere(option)) {
      in_force = line;
      continue;
    }
    spdlog::warn("SIGHUP: --{} changed to {}; restart edgehubd to apply it (in force: {})", option, value_in(line),
                 value_in(in_force));
  }
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
