#pragma once
// The start-up steps that write to the disk, each able to run on a full
// disk: edgehubd then starts read-mostly instead of exiting
// (docs/SECURITY.md#a-full-disk).
#include <memory>
#include <string>

#include "hub/core/hub_config.hpp"
#include "store/sqlite_store.hpp"

namespace edgehub::app {

// Removes the temporaries of uploads a crash cut off (file repository and
// edge data), before the database opens: their preallocated space may be
// what the database needs.
void remove_crash_leftovers(const hub::HubConfig& config);

// Opens (creating or upgrading) the database: PostgreSQL when url is set
// (--database), else SQLite in the data directory. On a full disk SQLite
// opens read-mostly and logs how much space writes need; throws
// store::DiskFull with that figure only if the database must be created or
// upgraded.
std::unique_ptr<store::Store> open_database(const hub::HubConfig& config, const std::string& url);

// Closes the logins a crash left open in the history; on a full disk they
// stay open until a later start (nothing reads them meanwhile).
void close_dangling_logins(store::Store& db);

}  // namespace edgehub::app
