#include "app/database_choice.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "store/postgres/pg_url.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace edgehub::app {
namespace {

// Both sources: a postgresql:// URL that libpq can read.
std::string url_problem(const std::string& url) {
  if (!store::is_postgres_url(url))
    return "'" + url + "' is not a postgresql:// URL (without --database, edgehubd uses SQLite in the data directory)";
  if (auto problem = store::postgres_url_problem(url)) return *problem;
  return {};
}

}  // namespace

std::string database_url_problem(const std::string& url) { return url_problem(url); }

std::string database_option_problem(const std::string& url) {
  if (auto problem = url_problem(url); !problem.empty()) return problem;
  if (store::postgres_url_has_password(url))
    return fmt::format(
        "a password does not belong on the command line, where ps shows it: put it in ~/.pgpass or the file "
        "PGPASSFILE names, or in PGPASSWORD, or give the whole URL in {}",
        kDatabaseEnv);
  return {};
}

std::string chosen_database(const std::string& from_option) {
  if (!from_option.empty()) return from_option;
  const char* env = std::getenv(kDatabaseEnv);
  if (!env || !*env) return {};
  if (auto problem = url_problem(env); !problem.empty())
    throw std::invalid_argument(fmt::format("{}: {}", kDatabaseEnv, problem));
  return env;
}

std::unique_ptr<store::Store> open_postgres(const std::string& url) {
  auto db = std::make_unique<store::PostgresStore>(url);
  spdlog::info("database: PostgreSQL {} (schema version {})", store::postgres_url_for_log(url), db->schema_version());
  return db;
}

std::unique_ptr<store::Store> open_admin_store(const std::string& from_option,
                                               const std::function<std::filesystem::path()>& sqlite_file) {
  const std::string url = chosen_database(from_option);
  if (url.empty()) return std::make_unique<store::SqliteStore>(sqlite_file());
  return std::make_unique<store::PostgresStore>(url);
}

}  // namespace edgehub::app
