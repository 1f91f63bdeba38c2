#pragma once
// An owned file descriptor (closed by the destructor) and a helper that
// turns errno into an exception. Used by the repository, which works with
// descriptors relative to its directory (openat) so that a name is never
// resolved against anything but the repository.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace edgehub::hub {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

[[noreturn]] void throw_errno(int error, const std::string& what);

// Names in the directory open as dir_fd, without "." and "..", unsorted.
std::vector<std::string> entry_names(int dir_fd);

// What a tidy-up removed: the files and the disk space they held, counted
// in allocated blocks (a preallocated upload is 0 bytes long but holds all
// of its space).
struct Removed {
  std::size_t files = 0;
  std::uint64_t bytes = 0;
  Removed& operator+=(const Removed& other) {
    files += other.files;
    bytes += other.bytes;
    return *this;
  }
};
// Removes the regular files in dir_fd whose names match.
Removed remove_entries(int dir_fd, const std::function<bool(std::string_view)>& match);

// Writes all of data at offset, retrying short writes; throws on error.
void write_all_at(int fd, const char* data, std::size_t size, std::uint64_t offset, const std::string& what);

}  // namespace edgehub::hub
