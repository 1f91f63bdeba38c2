// edgehubd: opens the store, imports credentials, and serves until
// SIGINT/SIGTERM. See docs/ARCHITECTURE.md for the threads it starts.
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/system_error.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "app/admin/ca_command.hpp"
#include "app/admin/migrate_command.hpp"
#include "app/admin/user_command.hpp"
#include "app/backup/backup_command.hpp"
#include "app/backup/restore_command.hpp"
#include "app/daemon/logging.hpp"
#include "app/daemon/reload.hpp"
#include "app/daemon/systemd_notify.hpp"
#include "app/disk_startup.hpp"
#include "app/server_certificate.hpp"
#include "app/server_options.hpp"
#include "app/web_startup.hpp"
#include "app/worker_pool.hpp"
#include "common/heap_trim.hpp"
#include "common/lock_file.hpp"
#include "common/strings.hpp"
#include "hub/auth/accounts.hpp"
#include "hub/cluster/make_cluster.hpp"
#include "hub/cluster/node_id.hpp"
#include "hub/core/hub.hpp"
#include "net/control_signals.hpp"
#include "net/listener.hpp"
#include "net/server.hpp"
#include "store/store_queue.hpp"
#include "tls/client_certificates.hpp"
#include "tls/crl.hpp"

namespace {

using namespace edgehub;

hub::BatchControl import_control(const hub::HubConfig& config) {
  hub::BatchControl control;
  control.stop = [] { return net::stop_signal_pending(); };
  control.progress = [cost = config.argon2](std::size_t done, std::size_t total) {
    if (done == 0)
      spdlog::info("hashing {} passwords (argon2id, ops {}, {} KiB) on {} threads", total, cost.ops,
                   cost.mem_bytes / 1024, hub::hashing_threads(total, cost));
    else if (done < total)
      spdlog::info("hashed {} of {} passwords", done, total);
  };
  return control;
}

// What makes edgehubd refuse to start after its options were accepted: a
// data directory in use, a port in use, nobody who could log in. Said on
// stderr as "edgehubd: ...", exit code 2 (README.md#the-server).
class StartRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Taken before anything in the directory is read or written: a second
// server must not close the first one's logins or rewrite its device log
// (README.md#the-data-directory).
std::unique_ptr<LockFile> lock_data_dir(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  try {
    return std::make_unique<LockFile>(dir / "edgehubd.lock");
  } catch (const LockBusy& busy) {
    const std::string who =
        busy.holder_pid ? fmt::format("another edgehubd (pid {})", *busy.holder_pid) : std::string("another edgehubd");
    throw StartRefused(fmt::format("the data directory {} is in use by {}; stop it first, or give another --data-dir",
                                   dir.string(), who));
  }
}

// Opened before the passwords are hashed, which can take minutes.
template <class Open>
auto listen_first(Open open) {
  try {
    return open();
  } catch (const net::ListenError& e) {
    const bool in_use = e.error_number == EADDRINUSE;
    throw StartRefused(fmt::format("{}{}", e.what(), in_use ? " (is another edgehubd running?)" : ""));
  }
}

// Without a credentials file the stored accounts stay; with none stored,
// nobody could log in, which is a mistake unless the server runs --guest.
[[noreturn]] void refuse_without_accounts(const hub::HubConfig& config, const std::string& why) {
  throw StartRefused(
      fmt::format("cannot read the credentials file {}: {}, and the database has no accounts yet; give "
                  "--credentials FILE ('name password' lines), or --guest to run without accounts",
                  config.credentials.string(), why));
}

// A data directory without a database has no accounts: refused before
// anything is created in it.
void check_credentials_before_start(const hub::HubConfig& config) {
  if (config.guest_mode || std::filesystem::exists(config.data_dir / "edgehub.db")) return;
  std::ifstream in(config.credentials);
  if (!in) refuse_without_accounts(config, error_text(errno));
}

// docs/SECURITY.md#device-certificates: a CA file that cannot be used stops
// the start, rather than silently refusing every device later.
std::vector<tls::CertPtr> client_cas(const hub::HubConfig& config) {
  if (config.client_ca.empty()) return {};
  try {
    return tls::load_client_cas(config.client_ca);
  } catch (const std::runtime_error& e) {
    throw StartRefused(fmt::format("--client-ca: {}", e.what()));
  }
}

// --client-crl: read and checked against the CAs before serving (a CRL
// that cannot be used stops the start), then watched by the hub.
void watch_client_crl(hub::Hub& hub, const hub::HubConfig& config, const std::vector<tls::CertPtr>& cas) {
  if (config.client_crl.empty()) return;
  if (cas.empty()) throw StartRefused("--client-crl: there is no --client-ca whose CRLs these would be");
  auto watch = std::make_unique<hub::CrlWatch>();
  watch->path = config.client_crl;
  watch->load = [&cas](const std::filesystem::path& file) { return tls::read_crl_revocations(file, cas); };
  try {
    auto revoked = watch->load(watch->path);
    spdlog::info("--client-crl {}: {} revoked certificates", config.client_crl.string(), revoked.size());
    hub.watch_client_crl(std::move(watch), std::move(revoked));
  } catch (const std::runtime_error& e) {
    throw StartRefused(fmt::format("--client-crl: {}", e.what()));
  }
}

// The TLS listener asks each client for a certificate chaining to cas.
void request_device_certificates(boost::asio::ssl::context& context, const std::vector<tls::CertPtr>& cas,
                                 const hub::HubConfig& config) {
  if (cas.empty()) return;
  tls::request_client_certificates(context.native_handle(), cas);
  spdlog::info("device certificates: certlogin accepts certificates of {} ({}, {})", config.client_ca.string(),
               tls::common_name(cas.front().get()), tls::fingerprint(cas.front().get()));
}

void check_credentials(const hub::ImportReport& report, const hub::HubConfig& config) {
  if (!report.unreadable) return;
  if (report.accounts == 0) refuse_without_accounts(config, *report.unreadable);
  spdlog::warn("cannot read the credentials file {}: {}; keeping the {} stored accounts", config.credentials.string(),
               *report.unreadable, report.accounts);
}

void log_import(const hub::ImportReport& report, const hub::HubConfig& config) {
  if (report.unstored)
    spdlog::warn("the disk is full: the {} accounts of {} are used from memory and stored at a later start ({})",
                 report.unstored->size(), config.credentials.string(), report.store_error);
  else if (!report.unreadable)
    spdlog::info("{} accounts ({})", report.accounts,
                 report.reimported ? "imported from credentials file" : "unchanged");
}

// nullptr if a stop signal came during the import (nothing was stored).
// Guests need no accounts: the credentials file is not read.
std::unique_ptr<hub::Accounts> prepare_store(store::Store& db, const hub::HubConfig& config) {
  std::optional<std::vector<store::Account>> unstored;
  if (config.guest_mode) {
    spdlog::info("guest mode: clients connect without credentials");
  } else {
    auto report = hub::import_credentials(db, config.credentials.string(), config.argon2, import_control(config));
    check_credentials(report, config);
    for (const auto& w : report.warnings) spdlog::warn("{}: {}", config.credentials.string(), w);
    if (report.interrupted) return nullptr;
    log_import(report, config);
    unstored = std::move(report.unstored);
  }
  app::close_dangling_logins(db);
  return std::make_unique<hub::Accounts>(unstored ? *unstored : db.load_accounts(), config.argon2);
}

// TLS on the listening port (docs/SECURITY.md#tls): a certificate that
// cannot be used refuses the start.
app::ServingCertificate tls_certificate(const app::ServerSettings& settings) {
  try {
    auto serving = app::serving_certificate(settings.tls_files, settings.hub.data_dir);
    if (serving.created)
      spdlog::info("created a self-signed TLS certificate in {}",
                   app::default_tls_files(settings.hub.data_dir).certificate_chain.parent_path().string());
    spdlog::info("TLS certificate fingerprint {}", serving.fingerprint);
    return serving;
  } catch (const std::exception& e) {
    throw StartRefused(e.what());
  }
}

// What the other nodes of a cluster are told about this one.
std::string node_addresses(const app::ServerSettings& settings, std::uint16_t device_port) {
  std::string text = "device=" + net::endpoint_text(settings.net.bind_address, device_port);
  if (settings.http.port != 0) text += " http=" + net::endpoint_text(settings.http.bind_address, settings.http.port);
  return text;
}

int serve(app::ServerSettings settings, int argc, char** argv) {
  // Nothing is created or changed before these three checks pass.
  auto listener = listen_first([&] { return net::Listener(settings.net.bind_address, settings.net.port); });
  auto http_listener = listen_first([&] { return app::listen_http(settings.http); });
  if (settings.database.empty()) check_credentials_before_start(settings.hub);  // PostgreSQL: checked once connected
  const auto cas = client_cas(settings.hub);
  const auto lock = lock_data_dir(settings.hub.data_dir);
  const app::ServingCertificate certificate = tls_certificate(settings);
  settings.net.tls = certificate.context;
  request_device_certificates(*settings.net.tls, cas, settings.hub);
  app::remove_crash_leftovers(settings.hub);  // first: the space they hold may be what the database needs
  std::filesystem::create_directories(settings.hub.files_dir);
  auto db = app::open_database(settings.hub, settings.database);
  auto accounts = prepare_store(*db, settings.hub);
  if (!accounts) {
    spdlog::info("stopped during the credential import; the stored accounts are unchanged");
    return 0;
  }
  const std::int64_t accounts_version = db->data_version();  // `edgehubd user` changes after this are picked up
  const auto revoked = db->load_revoked_serials();
  store::StoreQueue store_queue(std::move(db));
  constexpr std::size_t kWorkerThreads = 2;
  boost::asio::thread_pool workers(kWorkerThreads);
  app::name_worker_threads(workers, kWorkerThreads);
  // Before the hub, so that it outlives every session the hub ends.
  if (!settings.database.empty() && !settings.hub.cluster.node_id_chosen)
    settings.hub.cluster.node_id = hub::node_id_of(settings.hub.data_dir);
  settings.hub.cluster.token_lifetime = std::chrono::duration_cast<std::chrono::seconds>(settings.hub.token_lifetime);
  const auto cluster = hub::make_cluster(settings.database, settings.hub.cluster);
  hub::Hub hub(settings.hub, store_queue, workers, std::move(accounts));
  hub.accounts_loaded_at(accounts_version);
  hub.set_revoked_certificates(revoked);
  watch_client_crl(hub, settings.hub, cas);
  net::Server server(settings.net, std::move(listener), hub);
  settings.http.tls = settings.net.tls;  // the device port's certificate (docs/SECURITY.md#http-listener)
  // Once the listener knows its port, before the first client: the others
  // learn this node's addresses (docs/CLUSTER.md#the-node-registry-and-its-lease).
  cluster->start(node_addresses(settings, server.port()), hub.cluster_events());
  hub.use_cluster(*cluster);
  if (net::stop_signal_pending()) {  // blocked until the server runs (net/control_signals.hpp)
    spdlog::info("stopped before serving");
    return 0;
  }
  // What the start freed (the credentials import's argon2 buffers, TLS set-up) goes back before
  // the first device, as a burst's does later (Hub::sweep, common/heap_trim.hpp).
  spdlog::debug("gave {} KiB of the start's freed heap back to the kernel", trim_heap() / 1024);
  // Tests and scripts read this line to learn the port chosen for --port 0.
  std::printf("edgehubd listening on %s (data: %s)\n",
              net::endpoint_text(settings.net.bind_address, server.port()).c_str(), settings.hub.data_dir.c_str());
  auto http = app::start_web(settings.http, std::move(http_listener), server, hub);
  std::fflush(stdout);
  server.on_shutdown(app::notify_stopping);
  std::atomic<bool> stopping{false};  // a SIGHUP's credentials import gives up then
  server.on_shutdown([&stopping] { stopping = true; });
  app::Reloader reloader(argc, argv, settings, {certificate, hub}, [&stopping] { return stopping.load(); });
  server.on_reload([&reloader] { reloader.on_sighup(); });
  app::notify_ready("serving devices on " + net::endpoint_text(settings.net.bind_address, server.port()));
  server.run();
  cluster->stop();
  workers.join();
  store_queue.stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "user") return app::run_user_command(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "fingerprint") return app::run_fingerprint_command(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "ca") return app::run_ca_command(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "migrate") return app::run_migrate_command(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "backup") return app::run_backup_command(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "restore") return app::run_restore_command(argc - 1, argv + 1);
  auto outcome = app::parse_server_options(argc, argv);
  if (!outcome.settings) return outcome.exit_code;
  // Before the first thread (spdlog's included), so that every thread
  // inherits the block: only the server's main loop takes them.
  net::block_control_signals();
  try {
    app::start_logging(outcome.settings->log_level, outcome.settings->log_file);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "edgehubd: %s\n", e.what());
    return 2;
  }
  try {
    return serve(*outcome.settings, argc, argv);
  } catch (const StartRefused& e) {
    std::fprintf(stderr, "edgehubd: %s\n", e.what());
    return 2;
  } catch (const boost::system::system_error& e) {  // what() would add Boost's source location
    spdlog::critical("{}", e.code().message());
    return 1;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
