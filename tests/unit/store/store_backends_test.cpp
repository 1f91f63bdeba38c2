// The backends of the typed store tests (store_backends.hpp), and the
// PostgreSQL server they share.
#include "unit/store/store_backends.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace edgehub::store::testing {
namespace {

std::string server_script() { return std::string(EDGEHUB_SOURCE_DIR) + "/tests/unit/store/postgres_server.sh"; }

// Under ctest the fixture (tests.cmake) started the server and names its
// state file in EDGEHUB_TEST_POSTGRES. Run alone, this binary starts its own
// on first use and stops it when the tests end.
class PostgresServer : public ::testing::Environment {
 public:
  static PostgresServer& instance() {
    static auto* server = static_cast<PostgresServer*>(::testing::AddGlobalTestEnvironment(new PostgresServer));
    return *server;
  }

  const std::string& base_url() {
    if (base_url_.empty()) base_url_ = read_or_start();
    return base_url_;
  }

  void TearDown() override {
    if (own_state_.empty()) return;
    const std::string command = "bash " + server_script() + " stop " + own_state_;
    if (std::system(command.c_str()) != 0) ADD_FAILURE() << command << " failed";
  }

 private:
  std::string read_or_start() {
    std::string state;
    if (const char* given = std::getenv("EDGEHUB_TEST_POSTGRES")) {
      state = given;
    } else {
      own_state_ = ::testing::TempDir() + "edgehub-pg-state-" + std::to_string(::getpid());
      const std::string command = "bash " + server_script() + " start " + own_state_;
      if (std::system(command.c_str()) != 0) throw std::runtime_error(command + " failed");
      state = own_state_;
    }
    std::ifstream in(state);
    std::string url;
    if (!std::getline(in, url) || url.empty())
      throw std::runtime_error("no PostgreSQL test server: " + state + " names none");
    return url;
  }

  std::string base_url_;
  std::string own_state_;
};

// Registered before main() runs the tests, so that TearDown stops the server.
[[maybe_unused]] const PostgresServer& registered = PostgresServer::instance();

}  // namespace

std::unique_ptr<Store> SqliteBackend::open() { return std::make_unique<SqliteStore>(dir_.file("edgehub.db")); }

PostgresBackend::PostgresBackend() {
  static std::atomic<int> counter{0};
  name_ = "edgehub_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const std::string& base = PostgresServer::instance().base_url();
  PgConnection admin(base + "postgres");
  admin.exec("CREATE DATABASE " + name_);
  url_ = base + name_;
}

PostgresBackend::~PostgresBackend() {
  try {
    PgConnection admin(PostgresServer::instance().base_url() + "postgres");
    admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot drop the test database " << name_ << ": " << e.what();
  }
}

std::unique_ptr<Store> PostgresBackend::open() { return std::make_unique<PostgresStore>(url_); }

}  // namespace edgehub::store::testing
