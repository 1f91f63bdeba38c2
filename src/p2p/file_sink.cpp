#include "p2p/file_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "common/atomic_file.hpp"
#include "common/errno_error.hpp"

namespace edgehub::p2p {
namespace {
constexpr std::size_t kBuffer = 1 << 20;
// Written data is handed to the disk every this many bytes (without waiting
// for it), so the fsync before the final rename has little left to do.
constexpr std::uint64_t kWritebackEvery = 8 << 20;

}  // namespace

FileSink::FileSink(const std::filesystem::path& dir, const std::string& final_name, const std::string& tag)
    : final_(dir / final_name), temp_(dir / ("." + final_name + ".part-" + tag)) {
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create " + temp_.string());
  buf_.reserve(kBuffer);
}

FileSink::~FileSink() { discard(); }

void FileSink::write(std::span<const std::uint8_t> data) {
  if (fd_ < 0) throw std::runtime_error("file already closed");
  if (buf_.size() + data.size() > kBuffer) flush();
  buf_.insert(buf_.end(), data.begin(), data.end());
}

void FileSink::flush() {
  std::size_t done = 0;
  while (done < buf_.size()) {
    auto n = ::write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("cannot write " + temp_.string());
    done += static_cast<std::size_t>(n);
  }
  written_ += buf_.size();
  buf_.clear();
  if (written_ - writeback_from_ >= kWritebackEvery) {
    ::sync_file_range(fd_, static_cast<off_t>(writeback_from_), static_cast<off_t>(written_ - writeback_from_),
                      SYNC_FILE_RANGE_WRITE);
    writeback_from_ = written_;
  }
}

void FileSink::commit() {
  flush();
  if (::fsync(fd_) != 0) throw_errno("cannot sync " + temp_.string());
  ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::rename(temp_, final_, ec);
  if (ec) throw std::system_error(ec, "cannot rename to " + final_.string());
  committed_ = true;
  fsync_directory(final_.parent_path());
}

void FileSink::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
  buf_.clear();
}

}  // namespace edgehub::p2p
