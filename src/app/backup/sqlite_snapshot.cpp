#include "app/backup/sqlite_snapshot.hpp"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace edgehub::app {
namespace {

namespace fs = std::filesystem;

// A writer holds the database's lock only for a moment (WAL): waited for.
constexpr int kBusyTimeoutMs = 10000;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Db open_db(const fs::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error(fmt::format("cannot open {}: {}", file.string(), raw ? sqlite3_errmsg(raw) : "no memory"));
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

// Runs sql and returns the first column of each row, joined by "; ".
std::string query_text(sqlite3* db, const char* sql, const fs::path& file) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error(fmt::format("{}: {}", file.string(), sqlite3_errmsg(db)));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::string out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt.get(), 0);
    out += (out.empty() ? "" : "; ") + std::string(text ? reinterpret_cast<const char*>(text) : "");
  }
  if (rc != SQLITE_DONE) throw std::runtime_error(fmt::format("{}: {}", file.string(), sqlite3_errmsg(db)));
  return out;
}

std::int64_t query_int(sqlite3* db, const char* sql, const fs::path& file) {
  return std::stoll(query_text(db, sql, file));
}

void copy_in_one_step(sqlite3* from, sqlite3* to, SnapshotReport& report, const fs::path& source) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) throw std::runtime_error(fmt::format("cannot back up {}: {}", source.string(), sqlite3_errmsg(to)));
  const auto started = std::chrono::steady_clock::now();
  const int step = sqlite3_backup_step(backup, -1);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.pages = sqlite3_backup_pagecount(backup);
  const int finish = sqlite3_backup_finish(backup);
  if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
    throw std::runtime_error(
        fmt::format("{} stayed locked for {} s: a server running read-mostly on a full disk holds it alone "
                    "(docs/SECURITY.md#a-full-disk); free some space and restart it, then back up",
                    source.string(), kBusyTimeoutMs / 1000));
  if (step != SQLITE_DONE || finish != SQLITE_OK)
    throw std::runtime_error(fmt::format("backing up {} failed: {}", source.string(), sqlite3_errmsg(to)));
}

}  // namespace

SnapshotReport snapshot_database(const fs::path& source, const fs::path& target) {
  SnapshotReport report;
  {
    const Db from = open_db(source, SQLITE_OPEN_READWRITE);  // never created: the caller checked it exists
    const Db to = open_db(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy_in_one_step(from.get(), to.get(), report, source);
    // The copy carries the source's WAL flag; one self-contained file is
    // what a backup should be (edgehubd turns WAL on again when it opens it).
    query_text(to.get(), "PRAGMA journal_mode=DELETE", target);
    report.page_size = query_int(to.get(), "PRAGMA page_size", target);
    report.schema_version = query_int(to.get(), "PRAGMA user_version", target);
    const auto check = query_text(to.get(), "PRAGMA quick_check", target);
    if (check != "ok")
      throw std::runtime_error(fmt::format("the copy of {} fails its check: {}", source.string(), check));
  }
  return report;
}

std::string database_integrity(const fs::path& file) {
  const Db db = open_db(file, SQLITE_OPEN_READWRITE);
  return query_text(db.get(), "PRAGMA integrity_check(10)", file);
}

std::int64_t database_schema_version(const fs::path& file) {
  const Db db = open_db(file, SQLITE_OPEN_READWRITE);
  return query_int(db.get(), "PRAGMA user_version", file);
}

}  // namespace edgehub::app
