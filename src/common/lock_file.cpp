#include "common/lock_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "common/strings.hpp"

namespace edgehub {
namespace {

// The pid the holder wrote; nullopt while it is still empty (the holder
// locks first, then writes) or if it is not a number.
std::optional<long> read_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return std::nullopt;
  std::string_view text(buf, static_cast<std::size_t>(n));
  text = text.substr(0, text.find('\n'));
  const auto pid = parse_int64(trim(text));
  if (!pid || *pid <= 0) return std::nullopt;
  return static_cast<long>(*pid);
}

void write_pid(int fd) {
  const std::string text = std::to_string(::getpid()) + "\n";
  // A failed write leaves the lock held; only the message of a second
  // process would lack the pid.
  if (::ftruncate(fd, 0) != 0) return;
  [[maybe_unused]] const ssize_t written = ::pwrite(fd, text.data(), text.size(), 0);
}

}  // namespace

LockFile::LockFile(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const auto holder = err == EWOULDBLOCK ? read_pid(fd_) : std::nullopt;
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw std::system_error(err, std::generic_category(), "cannot lock " + path.string());
    throw LockBusy(path.string() + " is locked by another process", holder);
  }
  write_pid(fd_);
}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace edgehub
