#pragma once
// An owned file descriptor (closed by the destructor) and a helper that
// turns errno into an exception. Used by the repository, which works with
// descriptors relative to its directory (openat) so that a name is never
// resolved against anything but the repository.
#include <cstdint>
#include <string>
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

// Writes all of data at offset, retrying short writes; throws on error.
void write_all_at(int fd, const char* data, std::size_t size, std::uint64_t offset, const std::string& what);

}  // namespace edgehub::hub
