#include "hub/files/repository.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>

#include <fmt/format.h>

#include "common/file_names.hpp"
#include "common/strings.hpp"
#include "hub/files/repository_refusal.hpp"
#include "hub/files/repository_upload.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

namespace {

bool is_upload_temp(std::string_view name) {
  return name.starts_with(Repository::kUploadPrefix) && name.ends_with(Repository::kUploadSuffix);
}

std::string new_temp_name() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{}{:016x}{}", Repository::kUploadPrefix, random(), Repository::kUploadSuffix);
}

UniqueFd open_directory(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) throw_errno(errno, "open file repository " + dir.string());
  return fd;
}

}  // namespace

void check_file_name(std::string_view name) {
  if (auto problem = file_name_problem(name, kRepositoryName))
    throw FileRefusal(StatusCode::BadRequest,
                      fmt::format("Refused file name '{}': {}", printable_file_name(name), *problem), true);
}

Repository::Repository(const std::filesystem::path& dir, RepositoryLimits limits)
    : path_(dir), limits_(limits), dir_(open_directory(dir)), hashes_(dir_.get()), budget_(limits.uploads) {
  remove_stale_uploads(dir_.get());
  hashes_.prune_sidecars();
}

Removed Repository::remove_stale_uploads(int dir_fd) {
  // Only this server writes here, and it has no upload yet: any temporary
  // is what a crash (kill -9, power cut) left behind.
  return remove_entries(dir_fd, is_upload_temp);
}

std::vector<RepoEntry> Repository::list() const {
  std::vector<RepoEntry> out;
  for (auto& name : entry_names(dir_.get())) {
    struct stat st {};
    if (file_name_problem(name, kRepositoryName)) continue;  // hidden, or a name get would refuse
    if (::fstatat(dir_.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(st.st_mode) || st.st_nlink > 1) continue;  // what get would refuse
    out.push_back({std::move(name), static_cast<std::uint64_t>(st.st_size)});
  }
  std::sort(out.begin(), out.end(), [](const RepoEntry& a, const RepoEntry& b) { return a.name < b.name; });
  return out;
}

DownloadFile Repository::open_for_download(std::string_view name_view) {
  check_file_name(name_view);
  const std::string name(name_view);
  // O_NOFOLLOW: a symbolic link placed in the directory is refused, never
  // followed. O_NONBLOCK: opening a FIFO placed there must not hang.
  UniqueFd fd(::openat(dir_.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    const int error = errno;
    if (error == ENOENT)
      throw FileRefusal(StatusCode::NotFound, fmt::format("No file named '{}' in the repository (see 'list')", name));
    if (error == ELOOP)
      throw FileRefusal(StatusCode::Forbidden,
                        fmt::format("'{}' is a symbolic link; the repository serves only regular files", name), true);
    if (error == EACCES)
      throw FileRefusal(StatusCode::Forbidden, fmt::format("'{}' cannot be read by the server", name), true);
    throw_errno(error, "open " + name);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno(errno, "stat " + name);
  if (!S_ISREG(st.st_mode))
    throw FileRefusal(StatusCode::Forbidden,
                      fmt::format("'{}' is not a regular file; the repository serves only regular files", name), true);
  // A hard link may share its inode with a file outside the repository.
  if (st.st_nlink > 1)
    throw FileRefusal(
        StatusCode::Forbidden,
        fmt::format("'{}' has {} hard links; the repository serves only files it alone holds", name, st.st_nlink),
        true);
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint: larger read-ahead
  const FileStamp stamp = stamp_of(st);
  std::string sha = hashes_.hash_of(name, fd.get(), stamp);
  return {std::make_shared<UniqueFd>(std::move(fd)), stamp.size, std::move(sha)};
}

RepositoryLimits Repository::limits() const {
  std::lock_guard lock(reserve_mutex_);
  return limits_;
}

void Repository::reconfigure(const RepositoryLimits& limits) {
  std::lock_guard lock(reserve_mutex_);
  limits_ = limits;
  budget_.reconfigure(limits.uploads);
}

std::unique_ptr<Upload> Repository::begin_upload(UploadRequest request) {
  check_file_name(request.name);
  const std::string& name = request.name;
  if (const std::uint64_t largest = limits().max_file_size; request.size > largest)
    throw FileRefusal(
        StatusCode::TooLarge,
        fmt::format("'{}' is {}; the largest file the repository accepts is {} (edgehubd --max-file-size)", name,
                    byte_count_text(request.size), byte_count_text(largest)));
  struct stat st {};
  std::uint64_t replaced = 0;
  if (::fstatat(dir_.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!S_ISREG(st.st_mode))
      throw FileRefusal(StatusCode::Forbidden,
                        fmt::format("'{}' exists in the repository and is not a regular file", name), true);
    if (!request.replace)
      throw FileRefusal(StatusCode::Conflict,
                        fmt::format("'{}' already exists in the repository; use 'put -f PATH' to replace it", name));
    replaced = static_cast<std::uint64_t>(st.st_size);
  } else if (errno != ENOENT) {
    throw_errno(errno, "stat " + name);
  }
  reserve(request, replaced);
  std::string temp_name = new_temp_name();
  UniqueFd temp(::openat(dir_.get(), temp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!temp.valid()) {
    const int error = errno;
    release(request.owner, request.size);
    throw_errno(error, "create upload temporary");
  }
  try {
    claim_disk(temp.get(), request);
  } catch (...) {
    ::unlinkat(dir_.get(), temp_name.c_str(), 0);
    release(request.owner, request.size);
    throw;
  }
  // The Upload owns the temporary and the reservation from here on.
  return std::make_unique<Upload>(shared_from_this(), std::move(request), std::move(temp), std::move(temp_name));
}

// Claims the disk space now: a full disk is a clear error before any data
// is sent, not half-way through, and --keep-free leaves the database room
// for other users' messages. KEEP_SIZE: the size still grows only with
// what is written. Filesystems that cannot preallocate: the writes will tell.
void Repository::claim_disk(int temp_fd, const UploadRequest& request) {
  std::lock_guard lock(disk_mutex_);
  struct statvfs disk {};
  if (::fstatvfs(dir_.get(), &disk) == 0)
    budget_.check_disk(request.name, request.size, static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize);
  if (request.size > 0 && ::fallocate(temp_fd, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(request.size)) != 0 &&
      errno == ENOSPC)
    throw FileRefusal(StatusCode::DiskFull, fmt::format("Not enough disk space on the server for '{}' ({})",
                                                        request.name, byte_count_text(request.size)));
}

void Repository::reserve(const UploadRequest& request, std::uint64_t replaced_bytes) {
  std::lock_guard lock(reserve_mutex_);
  const std::uint64_t stored = stored_bytes();
  const std::uint64_t after = stored - std::min(stored, replaced_bytes) + reserved_ + request.size;
  if (after > limits_.max_total_size) {
    throw FileRefusal(
        StatusCode::TooLarge,
        fmt::format("No room for '{}' ({}): the repository holds {}{} and its limit is {} (edgehubd --max-repo-size)",
                    request.name, byte_count_text(request.size), byte_count_text(stored),
                    reserved_ > 0 ? fmt::format(" plus {} for uploads in progress", byte_count_text(reserved_)) : "",
                    byte_count_text(limits_.max_total_size)));
  }
  budget_.reserve(request.owner, request.name, request.size);
  reserved_ += request.size;
}

void Repository::release(const std::string& owner, std::uint64_t reserved_bytes) {
  std::lock_guard lock(reserve_mutex_);
  reserved_ -= std::min(reserved_, reserved_bytes);
  budget_.release(owner, reserved_bytes);
}

std::uint64_t Repository::stored_bytes() const {
  std::uint64_t total = 0;
  for (const auto& entry : list()) total += entry.size;
  return total;
}

}  // namespace edgehub::hub
