#include "hub/edge_data/edge_data_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "data/stats_record.hpp"

namespace edgehub::hub {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempPrefix = ".upload-";

std::string record_name(const std::string& device, data::FileId id, std::uint64_t inode) {
  return fmt::format(".{}-{}.stats.{}", device, id.str(), inode);
}

// The inode of a regular file in dir (a link is not one), nullopt if absent.
std::optional<std::uint64_t> inode_at(int dir, const std::string& name) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno(errno, "stat " + name);
  }
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(name + " is not a plain file");
  return static_cast<std::uint64_t>(st.st_ino);
}

void fsync_fd(int fd, const std::string& what) {
  if (::fsync(fd) != 0) throw_errno(errno, "fsync " + what);
}

// Crash-safe write of a small file in dir: temporary, fsync, renameat.
void write_at_atomically(int dir, const std::string& name, std::string_view content) {
  const std::string temp = name + ".tmp";
  ::unlinkat(dir, temp.c_str(), 0);
  UniqueFd fd(::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd.valid()) throw_errno(errno, "create " + temp);
  write_all_at(fd.get(), content.data(), content.size(), 0, "write " + temp);
  fsync_fd(fd.get(), temp);
  if (::renameat(dir, temp.c_str(), dir, name.c_str()) != 0) throw_errno(errno, "rename " + temp);
}

std::string read_small(int dir, const std::string& name) {
  UniqueFd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return {};
  std::string text;
  char buffer[512];
  for (ssize_t n; (n = ::read(fd.get(), buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

}  // namespace

UniqueFd EdgeDataStore::open_device_dir(const std::string& device, bool create) const {
  if (create) fs::create_directories(root_);
  UniqueFd root(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) {
    if (errno == ENOENT && !create) return {};
    throw_errno(errno, "open " + root_.string());
  }
  if (create && ::mkdirat(root.get(), device.c_str(), 0755) != 0 && errno != EEXIST)
    throw_errno(errno, "create uploads/" + device);
  UniqueFd dir(::openat(root.get(), device.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.valid()) return dir;
  if (errno == ENOENT && !create) return {};
  if (errno == ELOOP || errno == ENOTDIR)
    throw std::runtime_error(fmt::format("uploads/{} is not a plain directory (a symbolic link?)", device));
  throw_errno(errno, "open uploads/" + device);
}

std::string EdgeDataStore::temp_name() {
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{}{}-{}", kTempPrefix, ::getpid(), counter.fetch_add(1));
}

void EdgeDataStore::install(int dir, const std::string& device, data::FileId id, const std::string& temp, int temp_fd,
                            const data::Stats& stats) const {
  fsync_fd(temp_fd, temp);
  struct stat st {};
  if (::fstat(temp_fd, &st) != 0) throw_errno(errno, "stat " + temp);
  const auto inode = static_cast<std::uint64_t>(st.st_ino);
  write_at_atomically(dir, record_name(device, id, inode), data::serialize_stats(stats));
  const std::string final_name = data::data_file_name(device, id);
  if (::renameat(dir, temp.c_str(), dir, final_name.c_str()) != 0) throw_errno(errno, "rename to " + final_name);
  fsync_fd(dir, "uploads/" + device);
  remove_records(dir, device, id, inode);
}

std::optional<data::Stats> EdgeDataStore::stats_in(int dir, const std::string& device, data::FileId id) const {
  const auto inode = inode_at(dir, data::data_file_name(device, id));
  if (!inode) return std::nullopt;
  const std::string text = read_small(dir, record_name(device, id, *inode));
  const std::string line = text.substr(0, text.find('\n'));
  if (line.empty()) throw std::runtime_error("statistics record missing for file " + id.str());
  auto parsed = data::parse_stats(line);
  if (!parsed) throw std::runtime_error("statistics record damaged for file " + id.str());
  return parsed;
}

std::optional<data::Stats> EdgeDataStore::stats(const std::string& device, data::FileId id) const {
  const UniqueFd dir = open_device_dir(device, false);
  if (!dir.valid()) return std::nullopt;
  return stats_in(dir.get(), device, id);
}

UniqueFd EdgeDataStore::open_data(const std::string& device, data::FileId id) const {
  const UniqueFd dir = open_device_dir(device, false);
  if (!dir.valid()) return {};
  const std::string name = data::data_file_name(device, id);
  UniqueFd fd(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid() && errno != ENOENT) throw_errno(errno, "open " + name);
  return fd;
}

std::optional<data::Stats> EdgeDataStore::remove(const std::string& device, data::FileId id) const {
  const UniqueFd dir = open_device_dir(device, false);
  if (!dir.valid()) return std::nullopt;
  auto existing = stats_in(dir.get(), device, id);
  if (!existing) return std::nullopt;
  const std::string name = data::data_file_name(device, id);
  if (::unlinkat(dir.get(), name.c_str(), 0) != 0) throw_errno(errno, "remove " + name);
  remove_records(dir.get(), device, id, std::nullopt);
  fsync_fd(dir.get(), "uploads/" + device);
  return existing;
}

void EdgeDataStore::remove_records(int dir, const std::string& device, data::FileId id,
                                   std::optional<std::uint64_t> keep) const {
  const std::string prefix = fmt::format(".{}-{}.stats.", device, id.str());
  const std::string kept = keep ? record_name(device, id, *keep) : std::string();
  for (const auto& name : entry_names(dir))
    if (name.rfind(prefix, 0) == 0 && name != kept) ::unlinkat(dir, name.c_str(), 0);
}

Removed EdgeDataStore::remove_leftovers() const {
  Removed removed;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return removed;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    // symlink_status: a link in place of a device's directory is not entered.
    if (!fs::is_directory(entry.symlink_status(ec))) continue;
    try {
      const UniqueFd dir = open_device_dir(entry.path().filename().string(), false);
      if (!dir.valid()) continue;
      removed += remove_entries(dir.get(), [](std::string_view name) { return name.starts_with(kTempPrefix); });
    } catch (const std::exception&) {
      continue;  // replaced meanwhile: nothing of ours to tidy
    }
  }
  return removed;
}

}  // namespace edgehub::hub
