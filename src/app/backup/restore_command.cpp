#include "app/backup/restore_command.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "app/backup/backup_manifest.hpp"
#include "app/backup/data_tree_copy.hpp"
#include "app/backup/sqlite_snapshot.hpp"
#include "app/backup/staging_dir.hpp"
#include "common/lock_file.hpp"
#include "common/strings.hpp"
#include "hub/files/repository_fd.hpp"
#include "store/sqlite_schema.hpp"

namespace edgehub::app {
namespace {

namespace fs = std::filesystem;

struct RestoreArgs {
  fs::path source;
  fs::path data_dir;
  fs::path files;  // --files: where the repository goes instead of DIR/files
  bool copy = false;
};

constexpr const char* kLockName = "edgehubd.lock";

// Said before "not empty": the likelier mistake is restoring over the live
// directory, and this names the server to stop. Probed read-only (a
// LockFile would write this process's pid into it).
void refuse_running_server(const fs::path& dir) {
  const hub::UniqueFd fd(::open((dir / kLockName).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid() || ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return;  // none, or nobody holds it
  std::ifstream in(dir / kLockName);
  std::string pid;
  in >> pid;
  const std::string who = pid.empty() ? std::string("an edgehubd") : fmt::format("an edgehubd (pid {})", pid);
  throw AdminRefused{fmt::format("--data-dir: {} is running on {}: restore into a new directory, never over a live one",
                                 who, dir.string())};
}

Manifest check_backup(const fs::path& source) {
  std::error_code ec;
  if (!fs::is_directory(source, ec)) throw AdminRefused{fmt::format("{} is not a directory", source.string())};
  auto manifest = read_manifest(source);
  if (!fs::is_regular_file(source / "edgehub.db", ec))
    throw AdminRefused{fmt::format("{} holds no edgehub.db: an incomplete backup?", source.string())};
  return manifest;
}

// Of the copy about to become the data directory: what edgehubd would open.
void check_database(const fs::path& file) {
  std::string problem;
  try {
    const auto integrity = database_integrity(file);
    const auto version = database_schema_version(file);
    const auto known = static_cast<std::int64_t>(store::sqlite_migrations().size());
    if (integrity != "ok")
      problem = "integrity_check: " + integrity;
    else if (version == 0)
      problem = "it holds no edgehubd tables";
    else if (version > known)
      problem = fmt::format("schema version {} is newer than this edgehubd knows ({})", version, known);
  } catch (const std::runtime_error& e) {
    problem = e.what();
  }
  if (!problem.empty())
    throw AdminRefused{fmt::format("the backup's database cannot be used ({}); nothing was restored", problem)};
}

// --files: the backup's files/ into a repository of its own. Staged like
// the data directory, and published first: a data directory that exists is
// one whose repository is complete.
void stage_repository_elsewhere(const RestoreArgs& a, std::optional<StagingDir>& repository) {
  if (a.files.empty()) return;
  require_absent_or_empty(a.files, "--files");
  repository.emplace(a.files);
  std::error_code ec;
  if (!fs::is_directory(a.source / "files", ec)) return;
  const auto copied = copy_data_tree(a.source / "files", repository->path(), {{".meta"}, false});
  for (const auto& w : copied.warnings) std::fprintf(stderr, "edgehubd restore: warning: %s\n", w.c_str());
}

void run(const RestoreArgs& a) {
  const auto manifest = check_backup(a.source);
  refuse_running_server(a.data_dir);
  require_absent_or_empty(a.data_dir, "--data-dir");
  std::optional<StagingDir> repository;
  stage_repository_elsewhere(a, repository);
  StagingDir staging(a.data_dir);
  // Held until the end, across the rename: no edgehubd starts on a
  // directory still being filled.
  const LockFile lock(staging.path() / kLockName);
  std::set<std::string> left_out{kManifestName, kLockName};
  if (repository) left_out.insert("files");
  const auto files = copy_data_tree(a.source, staging.path(), {left_out, !a.copy});
  for (const auto& w : files.warnings) std::fprintf(stderr, "edgehubd restore: warning: %s\n", w.c_str());
  check_database(staging.path() / "edgehub.db");
  fs::permissions(staging.path(), fs::status(a.source).permissions());  // the backup kept the original's
  if (repository) repository->publish();
  staging.publish();
  std::printf(
      "Restored %s (made %s from %s) into %s; files: %llu hard-linked, %llu copied (%s); the database "
      "passed its integrity check. Start edgehubd with --data-dir %s%s.\n",
      a.source.c_str(), manifest.get("created").value_or("?").c_str(), manifest.get("source").value_or("?").c_str(),
      a.data_dir.c_str(), static_cast<unsigned long long>(files.linked), static_cast<unsigned long long>(files.copied),
      byte_count_text(files.copied_bytes).c_str(), a.data_dir.c_str(),
      a.files.empty() ? "" : (" --files " + a.files.string()).c_str());
}

void add_options(CLI::App& app, RestoreArgs& a) {
  app.add_option("SRC", a.source, "a directory made by edgehubd backup")->required();
  app.add_option("--data-dir", a.data_dir, "the new data directory (must not exist, or be empty)")->required();
  app.add_option("--files", a.files, "put the file repository here instead of DIR/files (must not exist, or be empty)");
  app.add_flag("--copy", a.copy, "copy every file, hard-link none");
}

constexpr const char* kRestoreHelp = R"(Usage: edgehubd restore SRC --data-dir DIR [--files REPO] [--copy]

Makes DIR a data directory again from SRC, a backup made by edgehubd backup
(docs/OPERATIONS.md#backup-and-restore). Then start edgehubd with
--data-dir DIR.

Refused, with nothing changed:
  - SRC without the manifest edgehub-backup.txt (not a backup), or with a
    format this edgehubd does not know;
  - DIR with an edgehubd running on it (its lock), or any DIR that exists
    and is not empty: a restore never overwrites;
  - a database that fails PRAGMA integrity_check, or with a schema newer
    than this edgehubd knows.
DIR is written as DIR.partial-XXXXXX and renamed when complete. Edge data
is hard-linked from SRC when on the same filesystem (edgehubd never
changes those files in place), else copied; the database, the file
repository and everything else is copied.

Options:
  --data-dir DIR  the new data directory (required)
  --files REPO    put the file repository (SRC/files) into REPO instead of
                  DIR/files, for an edgehubd run with --files REPO; REPO
                  must not exist, or be empty
  --copy          copy every file, hard-link none

Exit status: 0 done, 1 refused or failed (DIR not created), 2 bad usage.
)";

}  // namespace

int run_restore_command(int argc, char** argv) {
  CLI::App app{"Make a data directory from an edgehubd backup.", "edgehubd restore"};
  RestoreArgs args;
  add_options(app, args);
  return run_admin_command(app, argc, argv, kRestoreHelp, "edgehubd restore", [&] { run(args); });
}

}  // namespace edgehub::app
