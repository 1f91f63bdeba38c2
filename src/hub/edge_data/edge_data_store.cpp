#include "hub/edge_data/edge_data_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "data/stats_record.hpp"

namespace edgehub::hub {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempPrefix = ".upload-";

std::optional<std::uint64_t> inode_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_ino);
}

void fsync_file(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + p.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::system_error(errno, std::generic_category(), "fsync " + p.string());
}

}  // namespace

fs::path EdgeDataStore::data_path(const std::string& device, data::FileId id) const {
  return device_dir(device) / data::data_file_name(device, id);
}

fs::path EdgeDataStore::record_path(const std::string& device, data::FileId id, std::uint64_t inode) const {
  return device_dir(device) / fmt::format(".{}-{}.stats.{}", device, id.str(), inode);
}

fs::path EdgeDataStore::temp_path(const std::string& device) const {
  static std::atomic<std::uint64_t> counter{0};
  fs::create_directories(device_dir(device));
  return device_dir(device) / fmt::format("{}{}-{}", kTempPrefix, ::getpid(), counter.fetch_add(1));
}

void EdgeDataStore::install(const std::string& device, data::FileId id, const fs::path& temp,
                            const data::Stats& stats) const {
  fsync_file(temp);
  const auto inode = inode_of(temp);
  if (!inode) throw std::runtime_error("upload temporary vanished");
  write_file_atomically(record_path(device, id, *inode), data::serialize_stats(stats));
  fs::rename(temp, data_path(device, id));
  fsync_directory(device_dir(device));
  remove_records(device, id, *inode);
}

std::optional<data::Stats> EdgeDataStore::stats(const std::string& device, data::FileId id) const {
  const auto inode = inode_of(data_path(device, id));
  if (!inode) return std::nullopt;
  std::ifstream in(record_path(device, id, *inode));
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("statistics record missing for file " + id.str());
  auto parsed = data::parse_stats(line);
  if (!parsed) throw std::runtime_error("statistics record damaged for file " + id.str());
  return parsed;
}

std::optional<data::Stats> EdgeDataStore::remove(const std::string& device, data::FileId id) const {
  auto existing = stats(device, id);
  if (!existing) return std::nullopt;
  fs::remove(data_path(device, id));
  remove_records(device, id, std::nullopt);
  fsync_directory(device_dir(device));
  return existing;
}

void EdgeDataStore::remove_records(const std::string& device, data::FileId id,
                                   std::optional<std::uint64_t> keep) const {
  const std::string prefix = fmt::format(".{}-{}.stats.", device, id.str());
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(device_dir(device), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    if (keep && name == record_path(device, id, *keep).filename().string()) continue;
    fs::remove(entry.path(), ec);
  }
}

void EdgeDataStore::remove_leftovers() const {
  std::error_code ec;
  if (!fs::exists(root_, ec)) return;
  for (const auto& dir : fs::directory_iterator(root_, ec)) {
    if (!dir.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(dir.path(), ec))
      if (entry.path().filename().string().rfind(kTempPrefix, 0) == 0) fs::remove(entry.path(), ec);
  }
}

}  // namespace edgehub::hub
