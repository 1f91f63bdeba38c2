#pragma once
// The database part of `edgehubd backup` and `edgehubd restore`
// (docs/OPERATIONS.md#backup-and-restore), through SQLite's own API.
#include <cstdint>
#include <filesystem>
#include <string>

namespace edgehub::app {

struct SnapshotReport {
  std::int64_t pages = 0;
  std::int64_t page_size = 0;
  std::int64_t schema_version = 0;  // PRAGMA user_version
  double seconds = 0;               // how long the server's database was read
};

// Copies the database `source` (which a running edgehubd may be writing)
// into the new file `target` with the online backup API, in one step: one
// read transaction, so one snapshot. In WAL mode (edgehubd's) a reader does
// not block the server's writers; a copy in several steps would start again
// after every write the server makes, and never end under steady load.
// The copy is a single file (journal_mode DELETE), checked with PRAGMA
// quick_check. Throws std::runtime_error.
SnapshotReport snapshot_database(const std::filesystem::path& source, const std::filesystem::path& target);

// PRAGMA integrity_check of file: "ok", or SQLite's first problems.
std::string database_integrity(const std::filesystem::path& file);

// PRAGMA user_version of file.
std::int64_t database_schema_version(const std::filesystem::path& file);

}  // namespace edgehub::app
