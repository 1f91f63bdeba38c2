#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "common/errno_error.hpp"

namespace edgehub {
namespace {

void write_all(int fd, std::string_view content, const std::string& what) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(what);
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

void fsync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw_errno("open directory " + dir.string());
  if (::fsync(fd.get()) != 0) throw_errno("fsync directory " + dir.string());
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  // Built step by step: GCC 12 at -O3 reports a false -Wrestrict for
  // "." + string + "..." (GCC bug 105651).
  std::string name = ".";
  name += target.filename().string();
  name += ".tmpXXXXXX";
  std::string tmpl = (dir / name).string();
  Fd fd(::mkstemp(tmpl.data()));
  if (fd.get() < 0) throw_errno("create temporary for " + target.string());
  try {
    write_all(fd.get(), content, "write " + tmpl);
    if (::fdatasync(fd.get()) != 0) throw_errno("fsync " + tmpl);
    if (::rename(tmpl.c_str(), target.c_str()) != 0) throw_errno("rename to " + target.string());
  } catch (...) {
    ::unlink(tmpl.c_str());
    throw;
  }
  fsync_directory(dir);
}

void append_line_durably(const std::filesystem::path& file, std::string_view line) {
  Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw_errno("open " + file.string());
  write_all(fd.get(), line, "append " + file.string());
  if (::fdatasync(fd.get()) != 0) throw_errno("fsync " + file.string());
}

}  // namespace edgehub
