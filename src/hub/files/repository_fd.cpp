#include "hub/files/repository_fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

namespace edgehub::hub {

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void throw_errno(int error, const std::string& what) { throw std::system_error(error, std::generic_category(), what); }

std::vector<std::string> entry_names(int dir_fd) {
  // A fresh descriptor: fdopendir takes it over, and its own read position
  // keeps concurrent listings apart.
  const int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(errno, "open repository directory");
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    const int error = errno;
    ::close(fd);
    throw_errno(error, "read repository directory");
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(dir);
  return names;
}

Removed remove_entries(int dir_fd, const std::function<bool(std::string_view)>& match) {
  Removed removed;
  for (const auto& name : entry_names(dir_fd)) {
    struct stat st {};
    if (!match(name) || ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (::unlinkat(dir_fd, name.c_str(), 0) != 0) continue;
    ++removed.files;
    removed.bytes += static_cast<std::uint64_t>(st.st_blocks) * 512;  // st_blocks counts 512-byte units
  }
  return removed;
}

void write_all_at(int fd, const char* data, std::size_t size, std::uint64_t offset, const std::string& what) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(errno, what);
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
}

}  // namespace edgehub::hub
