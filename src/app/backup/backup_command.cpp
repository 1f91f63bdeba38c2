#include "app/backup/backup_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "app/backup/backup_manifest.hpp"
#include "app/backup/data_tree_copy.hpp"
#include "app/backup/sqlite_snapshot.hpp"
#include "app/backup/staging_dir.hpp"
#include "app/daemon/version.hpp"
#include "app/database_choice.hpp"
#include "common/strings.hpp"
#include "common/time_format.hpp"
#include "hub/core/hub_config.hpp"

namespace edgehub::app {
namespace {

namespace fs = std::filesystem;

struct BackupArgs {
  fs::path dest;
  fs::path data_dir = hub::HubConfig{}.data_dir;
  std::string database;  // --database: refused, with what to use instead
  fs::path files;        // --files: the repository, when outside the data directory
  bool copy = false;
};

// Not in a backup: the database's own files (its snapshot is), the lock,
// the list of devices connected now (rewritten at every start), this node's
// cluster id (a restored copy must not pose as the node it came from).
const std::set<std::string> kLeftOut = {"edgehub.db",    "edgehub.db-wal",      "edgehub.db-shm",  "edgehub.db-journal",
                                        "edgehubd.lock", "edge-device-log.txt", "cluster-node-id", kManifestName};

void refuse_postgres(const BackupArgs& a) {
  if (chosen_database(a.database).empty()) return;
  throw AdminRefused{
      "the database is PostgreSQL (--database or EDGEHUB_DATABASE): back it up with pg_dump (for example "
      "pg_dump -Fc -f edgehub.dump URL) and the data directory's files with a file copy; edgehubd backup "
      "copies a SQLite data directory"};
}

void check_data_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw AdminRefused{fmt::format("--data-dir: {} is not a directory", dir.string())};
  if (!fs::is_regular_file(dir / "edgehub.db", ec))
    throw AdminRefused{
        fmt::format("--data-dir: {} holds no edgehub.db: not an edgehubd data directory?", dir.string())};
}

// A backup inside the directory it copies would copy itself.
void refuse_dest_inside(const fs::path& dest, const fs::path& data_dir) {
  const auto source = fs::canonical(data_dir);
  const auto target = fs::weakly_canonical(dest);
  const auto [end, _] = std::mismatch(source.begin(), source.end(), target.begin(), target.end());
  if (end == source.end())
    throw AdminRefused{fmt::format("DEST {} is inside the data directory {}", dest.string(), data_dir.string())};
}

// --files naming the data directory's own files/ (or nothing) is the default.
bool repository_elsewhere(const BackupArgs& a) {
  if (a.files.empty()) return false;
  std::error_code ec;
  if (!fs::is_directory(a.files, ec))
    throw AdminRefused{fmt::format("--files: {} is not a directory", a.files.string())};
  return !fs::equivalent(a.files, a.data_dir / "files", ec);
}

// The repository in use, from --files, into DEST/files: copied like the
// data directory's own (never linked: the server serves only files with
// one link), its hash sidecars and upload temporaries left out.
TreeCopyReport copy_repository_from_elsewhere(const BackupArgs& a, const fs::path& staging) {
  fs::create_directory(staging / "files");
  return copy_data_tree(a.files, staging / "files", {{".meta"}, false});
}

void add_up(TreeCopyReport& total, const TreeCopyReport& more) {
  total.linked += more.linked;
  total.copied += more.copied;
  total.linked_bytes += more.linked_bytes;
  total.copied_bytes += more.copied_bytes;
  total.warnings.insert(total.warnings.end(), more.warnings.begin(), more.warnings.end());
}

Manifest manifest_of(const BackupArgs& a, bool repository_from_elsewhere, const SnapshotReport& db,
                     const TreeCopyReport& files) {
  Manifest m;
  m.add("created", format_iso_utc(std::chrono::system_clock::now()));
  m.add("source", fs::canonical(a.data_dir).string());
  m.add("made by", version_text("edgehubd"));
  m.add("database", fmt::format("edgehub.db, schema version {}, {} pages of {} bytes (SQLite online backup)",
                                db.schema_version, db.pages, db.page_size));
  m.add("files", fmt::format("{} hard-linked ({}), {} copied ({})", files.linked, byte_count_text(files.linked_bytes),
                             files.copied, byte_count_text(files.copied_bytes)));
  if (repository_from_elsewhere)
    m.add("repository", fmt::format("files/, copied from {} (--files)", fs::canonical(a.files).string()));
  std::string left_out;
  for (const auto& name : kLeftOut)
    if (name != kManifestName) left_out += (left_out.empty() ? "" : " ") + name;
  m.add("left out", left_out + " and upload temporaries");
  return m;
}

void run(const BackupArgs& a) {
  refuse_postgres(a);
  check_data_dir(a.data_dir);
  require_absent_or_empty(a.dest, "DEST");
  refuse_dest_inside(a.dest, a.data_dir);
  const bool elsewhere = repository_elsewhere(a);
  if (elsewhere) refuse_dest_inside(a.dest, a.files);
  StagingDir staging(a.dest);
  // The database first, then the files. Neither refers to the other (no
  // row names a file), so any order is consistent; this one makes the
  // files at least as recent as the snapshot.
  const auto db = snapshot_database(a.data_dir / "edgehub.db", staging.path() / "edgehub.db");
  // With --files elsewhere, a files/ in the data directory is not the
  // repository in use: the one from --files takes its place.
  auto left_out = kLeftOut;
  if (elsewhere) left_out.insert("files");
  auto files = copy_data_tree(a.data_dir, staging.path(), {left_out, !a.copy});
  if (elsewhere) add_up(files, copy_repository_from_elsewhere(a, staging.path()));
  for (const auto& w : files.warnings) std::fprintf(stderr, "edgehubd backup: warning: %s\n", w.c_str());
  if (!elsewhere && !fs::exists(a.data_dir / "files"))
    std::fprintf(stderr,
                 "edgehubd backup: note: %s has no files/: if edgehubd serves the repository from elsewhere "
                 "(--files DIR), give the same --files to back it up\n",
                 a.data_dir.c_str());
  write_manifest(staging.path(), manifest_of(a, elsewhere, db, files));
  fs::permissions(staging.path(), fs::status(a.data_dir).permissions());
  staging.publish();
  std::printf("Backed up %s into %s: the database (%s, read in %.3f s); files: %llu hard-linked, %llu copied (%s)\n",
              a.data_dir.c_str(), a.dest.c_str(), byte_count_text(db.pages * db.page_size).c_str(), db.seconds,
              static_cast<unsigned long long>(files.linked), static_cast<unsigned long long>(files.copied),
              byte_count_text(files.copied_bytes).c_str());
}

void add_options(CLI::App& app, BackupArgs& a) {
  app.add_option("DEST", a.dest, "the new backup directory (must not exist, or be empty)")->required();
  app.add_option("--data-dir", a.data_dir, "the server's data directory")->capture_default_str();
  app.add_option("--files", a.files, "the file repository, when edgehubd runs with --files outside DIR");
  app.add_option("--database", a.database, "refused: PostgreSQL is backed up with pg_dump");
  app.add_flag("--copy", a.copy, "copy every file, hard-link none");
}

constexpr const char* kBackupHelp = R"(Usage: edgehubd backup DEST [--data-dir DIR] [--files REPO] [--copy]

Copies a SQLite data directory into the new directory DEST while edgehubd
keeps serving from it (docs/OPERATIONS.md#backup-and-restore):
  - the database (DIR/edgehub.db) through SQLite's online backup API: one
    snapshot, taken without stopping the server's writes;
  - then edge data (uploads/), hard-linked when DEST is on the same
    filesystem (the server never changes those files in place), else
    copied, each file with its statistics;
  - the file repository (files/, or REPO given with --files: the server's
    --files outside DIR), copied into DEST/files: it serves only files with
    one link; the other files (logs, the CA, the TLS certificate and key),
    copied with their modes;
  - a manifest, DEST/edgehub-backup.txt.
Left out: the lock file, the list of connected devices, the cluster node
id, upload temporaries, the repository's hash sidecars (made again at
the first download of each file). A hard link is no copy on another disk: for that,
put DEST on another filesystem, or give --copy.

DEST is written as DEST.partial-XXXXXX and renamed when complete: a failed
backup leaves no DEST. Put it back with edgehubd restore.

Options:
  --data-dir DIR  the server's data directory [default: edgehub-data]
  --files REPO    the file repository, when edgehubd runs with --files
                  outside DIR (restore --files puts it back there)
  --copy          copy every file, hard-link none
  --database URL  refused: a PostgreSQL database (--database or
                  EDGEHUB_DATABASE) is backed up with pg_dump

Exit status: 0 done, 1 refused or failed (no DEST made), 2 bad usage.
)";

}  // namespace

int run_backup_command(int argc, char** argv) {
  CLI::App app{"Back up edgehubd's data directory while it runs.", "edgehubd backup"};
  BackupArgs args;
  add_options(app, args);
  return run_admin_command(app, argc, argv, kBackupHelp, "edgehubd backup", [&] { run(args); });
}

}  // namespace edgehub::app
