#pragma once
// The SQLite side of `edgehubd migrate` (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql):
// a data directory that holds an edgehubd database no server is using, at a
// schema version this edgehubd knows.
#include <filesystem>
#include <memory>
#include <string>

#include "common/lock_file.hpp"
#include "store/sqlite_store.hpp"

namespace edgehub::app {

struct MigrateSource {
  std::filesystem::path file;              // DIR/edgehub.db
  std::unique_ptr<LockFile> lock;          // DIR/edgehubd.lock: no edgehubd starts meanwhile
  std::unique_ptr<store::SqliteStore> db;  // upgraded to this build's schema, if it was older
};

// "sqlite:DIR" -> DIR; AdminRefused (code 2) for anything else.
std::filesystem::path sqlite_source_dir(const std::string& from);

// Checks the directory, takes its lock and opens the database. Refuses
// (AdminRefused) a missing directory or database, one an edgehubd is
// running on, or a schema newer than this edgehubd knows; none of these
// changes anything.
MigrateSource open_migrate_source(const std::filesystem::path& dir);

}  // namespace edgehub::app
