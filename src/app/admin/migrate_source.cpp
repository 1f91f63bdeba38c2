#include "app/admin/migrate_source.hpp"

#include <fmt/format.h>

#include <system_error>

#include "app/admin/admin_cli.hpp"
#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"

namespace edgehub::app {
namespace {

constexpr std::string_view kScheme = "sqlite:";

// The schema version (PRAGMA user_version), read before SqliteStore would
// upgrade it: a newer one is refused, not silently used.
std::int64_t schema_version(const std::filesystem::path& file) {
  try {
    store::SqliteDb db(file);
    auto st = db.prepare("PRAGMA user_version");
    st.step();
    return st.column_int(0);
  } catch (const std::runtime_error& e) {
    throw AdminRefused{fmt::format("--from: cannot read {}: {}", file.string(), e.what())};
  }
}

std::unique_ptr<LockFile> lock_directory(const std::filesystem::path& dir) {
  try {
    return std::make_unique<LockFile>(dir / "edgehubd.lock");
  } catch (const LockBusy& busy) {
    const std::string who =
        busy.holder_pid ? fmt::format("an edgehubd (pid {})", *busy.holder_pid) : std::string("an edgehubd");
    throw AdminRefused{
        fmt::format("--from: {} is running on {}: stop it first (nothing was copied)", who, dir.string())};
  } catch (const std::system_error& e) {
    throw AdminRefused{fmt::format("--from: {}", e.what())};
  }
}

}  // namespace

std::filesystem::path sqlite_source_dir(const std::string& from) {
  if (!from.starts_with(kScheme) || from.size() == kScheme.size())
    throw AdminRefused{fmt::format("--from takes sqlite:DIR, the old server's data directory (got '{}')", from), 2};
  return from.substr(kScheme.size());
}

MigrateSource open_migrate_source(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw AdminRefused{fmt::format("--from: {} is not a directory", dir.string())};
  MigrateSource source{dir / "edgehub.db", nullptr, nullptr};
  if (!std::filesystem::is_regular_file(source.file, ec))
    throw AdminRefused{fmt::format("--from: {} holds no edgehub.db: not an edgehubd data directory?", dir.string())};
  source.lock = lock_directory(dir);
  const auto version = schema_version(source.file);
  const auto known = static_cast<std::int64_t>(store::sqlite_migrations().size());
  if (version == 0)  // an empty file: SQLite would make it a new database
    throw AdminRefused{fmt::format("--from: {} holds no edgehubd tables", source.file.string())};
  if (version > known)
    throw AdminRefused{fmt::format(
        "--from: {} has schema version {}, newer than this edgehubd knows ({}): migrate with the edgehubd that "
        "wrote it, or a newer one",
        source.file.string(), version, known)};
  try {
    source.db = std::make_unique<store::SqliteStore>(source.file);
  } catch (const std::runtime_error& e) {
    throw AdminRefused{fmt::format("--from: cannot open {}: {}", source.file.string(), e.what())};
  }
  return source;
}

}  // namespace edgehub::app
