// edgehubd: opens the store, imports credentials, and serves until
// SIGINT/SIGTERM. See docs/ARCHITECTURE.md for the threads it starts.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/server_options.hpp"
#include "hub/auth/accounts.hpp"
#include "hub/core/hub.hpp"
#include "net/server.hpp"
#include "store/sqlite_store.hpp"
#include "store/store_queue.hpp"

namespace {

using namespace edgehub;

// SIGINT/SIGTERM before the server's own handling starts (the credential
// import can take minutes): remembered here, acted on between passwords
// and once more before serving. The server's signal_set replaces this
// handler when it is created.
volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }

void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

hub::BatchControl import_control(const hub::HubConfig& config) {
  hub::BatchControl control;
  control.stop = [] { return stop_requested != 0; };
  control.progress = [cost = config.argon2](std::size_t done, std::size_t total) {
    if (done == 0)
      spdlog::info("hashing {} passwords (argon2id, ops {}, {} KiB) on {} threads", total, cost.ops,
                   cost.mem_bytes / 1024, hub::hashing_threads(total, cost));
    else if (done < total)
      spdlog::info("hashed {} of {} passwords", done, total);
  };
  return control;
}

// nullptr if a stop signal came during the import (nothing was stored).
std::unique_ptr<hub::Accounts> prepare_store(store::Store& db, const hub::HubConfig& config) {
  const auto report = hub::import_credentials(db, config.credentials.string(), config.argon2, import_control(config));
  for (const auto& w : report.warnings) spdlog::warn("{}: {}", config.credentials.string(), w);
  if (report.interrupted) return nullptr;
  spdlog::info("{} accounts ({})", report.accounts, report.reimported ? "imported from credentials file" : "unchanged");
  db.begin();
  const int dangling = db.close_dangling_logins(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
  db.commit();
  if (dangling > 0) spdlog::info("closed {} logins left open by an earlier run", dangling);
  return std::make_unique<hub::Accounts>(db.load_accounts(), config.argon2);
}

int serve(const app::ServerSettings& settings) {
  std::filesystem::create_directories(settings.hub.data_dir);
  std::filesystem::create_directories(settings.hub.files_dir);
  auto db = std::make_unique<store::SqliteStore>(settings.hub.data_dir / "edgehub.db");
  auto accounts = prepare_store(*db, settings.hub);
  if (!accounts) {
    spdlog::info("stopped during the credential import; the stored accounts are unchanged");
    return 0;
  }
  store::StoreQueue store_queue(std::move(db));
  boost::asio::thread_pool workers(2);
  hub::Hub hub(settings.hub, store_queue, workers, std::move(accounts));
  net::Server server(settings.net, hub);
  if (stop_requested) {  // a signal between the import and the server's own handling
    spdlog::info("stopped before serving");
    return 0;
  }
  // Tests and scripts read this line to learn the port chosen for --port 0.
  std::printf("edgehubd listening on %s:%u (data: %s)\n", settings.net.bind_address.c_str(), server.port(),
              settings.hub.data_dir.c_str());
  std::fflush(stdout);
  server.run();
  workers.join();
  store_queue.stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto outcome = app::parse_server_options(argc, argv);
  if (!outcome.settings) return outcome.exit_code;
  spdlog::set_default_logger(spdlog::stderr_color_mt("edgehubd"));
  spdlog::set_level(spdlog::level::from_str(outcome.settings->log_level));
  catch_stop_signals();
  try {
    return serve(*outcome.settings);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
