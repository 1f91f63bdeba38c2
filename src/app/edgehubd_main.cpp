// edgehubd: opens the store, imports credentials, and serves until
// SIGINT/SIGTERM. See docs/ARCHITECTURE.md for the threads it starts.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/thread_pool.hpp>
#include <cstdio>
#include <filesystem>

#include "app/server_options.hpp"
#include "hub/accounts.hpp"
#include "hub/edge_data_store.hpp"
#include "hub/hub.hpp"
#include "net/server.hpp"
#include "store/sqlite_store.hpp"
#include "store/store_queue.hpp"

namespace {

using namespace edgehub;

std::unique_ptr<hub::Accounts> prepare_store(store::Store& db, const hub::HubConfig& config) {
  const auto report = hub::import_credentials(db, config.credentials.string(), config.argon2);
  for (const auto& w : report.warnings) spdlog::warn("{}: {}", config.credentials.string(), w);
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
  hub::EdgeDataStore(settings.hub.data_dir / "uploads").remove_leftovers();  // uploads cut off by a crash
  store::StoreQueue store_queue(std::move(db));
  boost::asio::thread_pool workers(2);
  hub::Hub hub(settings.hub, store_queue, workers, std::move(accounts));
  net::Server server(settings.net, hub);
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
  try {
    return serve(*outcome.settings);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
