#include "app/backup/data_tree_copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_set>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "hub/files/repository_fd.hpp"

namespace edgehub::app {
namespace {

namespace fs = std::filesystem;
using hub::UniqueFd;

// Tries to take an edge-data file and its record as a pair: each try fails
// only when the server replaced the file between the two steps.
constexpr int kPairAttempts = 5;
constexpr int kListingRounds = 4;  // readings of one directory (TreeCopier::copy_dir)

// A file placed in the copy.
struct Placed {
  std::uint64_t source_inode = 0;  // the inode whose content was taken
  std::uint64_t inode = 0;         // the copy's (the same when linked)
  std::uint64_t bytes = 0;
  bool linked = false;
};

// Temporaries of uploads in progress (repository .upload-*.part, edge data
// .upload-PID-N and NAME.tmp records, hash sidecars' .tmp-*): never a
// finished file, removed by the server at its next start anyway.
bool is_temporary(std::string_view name) {
  return name.starts_with('.') && (name.starts_with(".upload-") || name.starts_with(".tmp-") || name.ends_with(".tmp"));
}

bool is_stats_record(std::string_view name) {
  return name.starts_with('.') && name.find(".stats.") != std::string_view::npos;
}

// uploads/DEVICE: a directory of edge-data files and their records.
bool is_edge_device_dir(const fs::path& relative) {
  auto it = relative.begin();
  return it != relative.end() && *it == "uploads" && std::distance(relative.begin(), relative.end()) == 2;
}

// What the server only ever replaces by a rename, and may share an inode
// with a copy (see the header).
bool may_link(const fs::path& relative) { return !relative.empty() && *relative.begin() == "uploads"; }

// Sidecars that name the original's inode: useless in a copy.
bool is_hash_sidecar_dir(const fs::path& relative, std::string_view name) {
  return relative == "files" && name == ".meta";
}

std::string record_name(const std::string& data_name, std::uint64_t inode) {
  const std::string_view stem = std::string_view(data_name).substr(0, data_name.rfind(".txt"));
  return fmt::format(".{}.stats.{}", stem, inode);
}

std::uint64_t inode_of(int fd, const fs::path& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) hub::throw_errno(errno, "stat " + what.string());
  return static_cast<std::uint64_t>(st.st_ino);
}

void write_all(int fd, const char* data, std::size_t size, const fs::path& what) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) hub::throw_errno(errno, "write " + what.string());
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// A copy with the source's mode, on disk (fsync) before it returns;
// nullopt if the source is gone (the server deleted it meanwhile).
std::optional<Placed> copy_contents(const fs::path& from, const fs::path& to) {
  const UniqueFd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in.valid() && errno == ENOENT) return std::nullopt;
  if (!in.valid()) hub::throw_errno(errno, "open " + from.string());
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) hub::throw_errno(errno, "stat " + from.string());
  const UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777));
  if (!out.valid()) hub::throw_errno(errno, "create " + to.string());
  Placed placed{static_cast<std::uint64_t>(st.st_ino), inode_of(out.get(), to), 0, false};
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) hub::throw_errno(errno, "read " + from.string());
    if (n == 0) break;
    write_all(out.get(), buffer.data(), static_cast<std::size_t>(n), to);
    placed.bytes += static_cast<std::uint64_t>(n);
  }
  if (::fsync(out.get()) != 0) hub::throw_errno(errno, "fsync " + to.string());
  return placed;
}

class TreeCopier {
 public:
  explicit TreeCopier(const TreeCopyOptions& options) : options_(options), links_work_(options.allow_links) {}

  void copy_dir(const fs::path& from, const fs::path& to, const fs::path& relative);
  TreeCopyReport report;

 private:
  std::optional<Placed> place(const fs::path& from, const fs::path& to, bool linkable);
  std::optional<Placed> link(const fs::path& from, const fs::path& to);
  void count(const Placed& placed);
  bool copy_unseen(const fs::path& from, const fs::path& to, const fs::path& relative,
                   std::unordered_set<std::string>& seen);
  void copy_entry(const fs::directory_entry& entry, const fs::path& to, const fs::path& relative);
  void copy_edge_file(const fs::path& from_dir, const fs::path& to_dir, const std::string& name,
                      const fs::path& relative);

  const TreeCopyOptions& options_;
  bool links_work_;  // false after the first link refused (another filesystem): copies from then on
};

void TreeCopier::count(const Placed& placed) {
  (placed.linked ? report.linked : report.copied) += 1;
  (placed.linked ? report.linked_bytes : report.copied_bytes) += placed.bytes;
}

std::optional<Placed> TreeCopier::link(const fs::path& from, const fs::path& to) {
  if (::link(from.c_str(), to.c_str()) == 0) {
    struct stat st {};
    if (::lstat(to.c_str(), &st) != 0) hub::throw_errno(errno, "stat " + to.string());
    const auto inode = static_cast<std::uint64_t>(st.st_ino);
    return Placed{inode, inode, static_cast<std::uint64_t>(st.st_size), true};
  }
  if (errno == ENOENT) return std::nullopt;
  if (errno != EXDEV && errno != EPERM && errno != EMLINK && errno != EOPNOTSUPP)
    hub::throw_errno(errno, "link " + from.string() + " to " + to.string());
  links_work_ = false;
  return copy_contents(from, to);
}

std::optional<Placed> TreeCopier::place(const fs::path& from, const fs::path& to, bool linkable) {
  return linkable && links_work_ ? link(from, to) : copy_contents(from, to);
}

void TreeCopier::copy_edge_file(const fs::path& from_dir, const fs::path& to_dir, const std::string& name,
                                const fs::path& relative) {
  for (int attempt = 1;; ++attempt) {
    const auto data = place(from_dir / name, to_dir / name, true);
    if (!data) return;  // deleted meanwhile
    const auto record =
        copy_contents(from_dir / record_name(name, data->source_inode), to_dir / record_name(name, data->inode));
    if (record || attempt == kPairAttempts) {
      count(*data);
      if (record) count(*record);
      if (!record)
        report.warnings.push_back(
            fmt::format("{}: copied without its statistics record (none for its inode)", (relative / name).string()));
      return;
    }
    fs::remove(to_dir / name);  // replaced meanwhile: take the new file and its record
  }
}

void TreeCopier::copy_entry(const fs::directory_entry& entry, const fs::path& to, const fs::path& relative) {
  const std::string name = entry.path().filename().string();
  std::error_code ec;
  const auto status = entry.symlink_status(ec);
  if (fs::is_directory(status)) {
    fs::create_directory(to / name);
    fs::permissions(to / name, status.permissions());
    copy_dir(entry.path(), to / name, relative / name);
  } else if (fs::is_regular_file(status) && is_edge_device_dir(relative)) {
    if (!is_stats_record(name)) copy_edge_file(entry.path().parent_path(), to, name, relative);
  } else if (fs::is_regular_file(status)) {
    if (const auto placed = place(entry.path(), to / name, may_link(relative))) count(*placed);
  } else if (!ec) {
    report.warnings.push_back(
        fmt::format("{}: not a regular file or a directory, left out", (relative / name).string()));
  }
}

// A name that a rename replaces while the directory is read may be missed
// by that reading (readdir leaves unspecified whether an entry changed
// meanwhile shows up; ext4 missed an edge data file replaced by its
// re-upload). So the directory is read again until a reading shows no name
// that was not copied yet, at most kListingRounds times.
void TreeCopier::copy_dir(const fs::path& from, const fs::path& to, const fs::path& relative) {
  std::unordered_set<std::string> seen;
  for (int round = 0; round < kListingRounds; ++round)
    if (!copy_unseen(from, to, relative, seen)) break;
  fsync_directory(to);
}

// One reading of `from`: copies the entries whose names are not in `seen`
// yet, and adds them. True if there was any.
bool TreeCopier::copy_unseen(const fs::path& from, const fs::path& to, const fs::path& relative,
                             std::unordered_set<std::string>& seen) {
  bool found_new = false;
  for (const auto& entry : fs::directory_iterator(from)) {
    const std::string name = entry.path().filename().string();
    if (!seen.insert(name).second) continue;
    found_new = true;
    if (relative.empty() && options_.left_out.contains(name)) continue;
    if (is_temporary(name) || is_hash_sidecar_dir(relative, name)) continue;
    copy_entry(entry, to, relative);
  }
  return found_new;
}

}  // namespace

TreeCopyReport copy_data_tree(const fs::path& from, const fs::path& to, const TreeCopyOptions& options) {
  TreeCopier copier(options);
  copier.copy_dir(from, to, {});
  return std::move(copier.report);
}

}  // namespace edgehub::app
