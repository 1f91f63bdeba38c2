#pragma once
// Which database edgehubd and `edgehubd user|ca` use (docs/CLUSTER.md#choosing-the-database):
// SQLite in the data directory unless --database postgresql://... or the
// environment variable EDGEHUB_DATABASE names a PostgreSQL server.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace edgehub::app {

inline constexpr const char* kDatabaseEnv = "EDGEHUB_DATABASE";

// Why a postgresql:// URL cannot be used; empty when it can. A password is
// accepted: edgehubd's configuration file may hold one.
std::string database_url_problem(const std::string& url);

// Why a --database value from the command line is refused; empty when it
// is accepted. A password is refused there (ps shows every argument): it
// belongs in ~/.pgpass, PGPASSFILE, PGPASSWORD or EDGEHUB_DATABASE.
std::string database_option_problem(const std::string& url);

// --database if given, else EDGEHUB_DATABASE (which may hold a password);
// empty: SQLite. Throws std::invalid_argument for an unusable variable.
std::string chosen_database(const std::string& from_option);

// Connects to the PostgreSQL database and migrates its schema.
std::unique_ptr<store::Store> open_postgres(const std::string& url);

// The store an admin command (`edgehubd user|ca`) works on: PostgreSQL
// when from_option or EDGEHUB_DATABASE names one, else the SQLite file that
// sqlite_file() gives (called only then: it may refuse a missing database).
std::unique_ptr<store::Store> open_admin_store(const std::string& from_option,
                                               const std::function<std::filesystem::path()>& sqlite_file);

}  // namespace edgehub::app
