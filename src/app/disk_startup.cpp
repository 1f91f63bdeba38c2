#include "app/disk_startup.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "app/database_choice.hpp"
#include "common/strings.hpp"
#include "hub/edge_data/edge_data_store.hpp"
#include "hub/files/repository.hpp"

namespace edgehub::app {
namespace {

// Room the database needs to take writes again: its shared index (-shm,
// 32 KiB) and write-ahead-log frames for a group commit, with a margin.
constexpr std::uint64_t kRoomForWrites = 1 << 20;

std::uint64_t free_bytes(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto space = std::filesystem::space(dir, ec);
  return ec ? 0 : static_cast<std::uint64_t>(space.available);
}

// "about N more" (what an operator must free), or nothing when the free
// space looks sufficient and the limit is elsewhere (quota, inodes).
std::string room_needed(const std::filesystem::path& dir) {
  const std::uint64_t free = free_bytes(dir);
  const std::string now = fmt::format("{} free now", byte_count_text(free));
  if (free >= kRoomForWrites) return now;
  return fmt::format("{}; writes need about {} more", now, byte_count_text(kRoomForWrites - free));
}

hub::Removed remove_repository_leftovers(const std::filesystem::path& dir) {
  hub::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return {};  // not created yet: nothing left in it
  return hub::Repository::remove_stale_uploads(fd.get());
}

}  // namespace

void remove_crash_leftovers(const hub::HubConfig& config) {
  try {
    hub::Removed removed = remove_repository_leftovers(config.files_dir);
    removed += hub::EdgeDataStore(config.data_dir / "uploads").remove_leftovers();
    if (removed.files > 0)
      spdlog::info("removed {} upload temporaries left by an earlier run ({} of disk space)", removed.files,
                   byte_count_text(removed.bytes));
  } catch (const std::exception& e) {  // the repository's own opening reports a real fault
    spdlog::warn("could not remove the uploads left by an earlier run: {}", e.what());
  }
}

std::unique_ptr<store::Store> open_database(const hub::HubConfig& config, const std::string& url) {
  if (!url.empty()) return open_postgres(url);
  const auto file = config.data_dir / "edgehub.db";
  try {
    auto db = std::make_unique<store::SqliteStore>(file);
    // Opened normally after a crash (its index file survived), the database
    // is just as unable to take writes when the disk has no room left.
    if (db->read_mostly() || free_bytes(config.data_dir) < kRoomForWrites)
      spdlog::warn(
          "the disk holding {} is full ({}): edgehubd runs read-mostly. Logins, presence and reads work; "
          "writes (offline messages, blocks, uploads, login history) are refused with 507 until there is room",
          config.data_dir.string(), room_needed(config.data_dir));
    return db;
  } catch (const store::DiskFull& e) {
    throw store::DiskFull(
        fmt::format("the disk holding {} is full: the database {} cannot be created or upgraded ({}); {}",
                    config.data_dir.string(), file.string(), e.what(), room_needed(config.data_dir)));
  }
}

void close_dangling_logins(store::Store& db) {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  int closed = 0;
  db.begin();
  try {
    closed = db.close_dangling_logins(now);
    db.commit();
  } catch (const store::DiskFull& e) {
    store::rollback_after_failure(db);
    spdlog::warn(
        "the disk is full: the logins an earlier run left open stay open in the history until a later start "
        "({})",
        e.what());
    return;
  }
  if (closed > 0) spdlog::info("closed {} logins left open by an earlier run", closed);
}

}  // namespace edgehub::app
