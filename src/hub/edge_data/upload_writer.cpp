#include "hub/edge_data/upload_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace edgehub::hub {
namespace {

constexpr std::size_t kAlign = 4096;         // O_DIRECT: memory, length and offset
constexpr std::size_t kWriteUnit = 1 << 20;  // a direct write once this much is gathered
constexpr std::size_t kCapacity = 2 * kWriteUnit;
constexpr std::uint64_t kWritebackEvery = 4 << 20;  // buffered: sync_file_range after this much

}  // namespace

void UploadWriter::FreeAligned::operator()(char* p) const { std::free(p); }

UploadWriter::UploadWriter(int fd, bool try_direct) : fd_(fd) {
  if (!try_direct) return;
  void* memory = nullptr;
  if (::posix_memalign(&memory, kAlign, kCapacity) != 0) return;
  buffer_.reset(static_cast<char*>(memory));
  const int flags = ::fcntl(fd_, F_GETFL);
  direct_ = flags >= 0 && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
}

bool UploadWriter::stop_direct() {
  direct_ = false;
  const int flags = ::fcntl(fd_, F_GETFL);
  return flags >= 0 && ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) == 0;
}

int UploadWriter::append(std::string_view block) {
  if (!direct_) return write_buffered(block);
  while (!block.empty()) {
    const std::size_t n = std::min(block.size(), kCapacity - gathered_);
    std::memcpy(buffer_.get() + gathered_, block.data(), n);
    gathered_ += n;
    block.remove_prefix(n);
    if (gathered_ < kWriteUnit) continue;
    if (const int error = write_gathered(gathered_ / kAlign * kAlign)) return error;
    if (!direct_) return write_buffered(block);  // refused after all: the rest through the page cache
  }
  return 0;
}

int UploadWriter::write_gathered(std::size_t bytes) {
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::write(fd_, buffer_.get() + done, bytes - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL) {
      // The file system took the flag but not the I/O (or a short write
      // left the offset unaligned): what is gathered goes buffered.
      if (!stop_direct()) return EINVAL;
      const int error = write_buffered({buffer_.get() + done, gathered_ - done});
      gathered_ = 0;
      return error;
    }
    if (n <= 0) return n < 0 ? errno : EIO;
    done += static_cast<std::size_t>(n);
    written_ += static_cast<std::uint64_t>(n);
  }
  std::memmove(buffer_.get(), buffer_.get() + bytes, gathered_ - bytes);
  gathered_ -= bytes;
  return 0;
}

int UploadWriter::write_buffered(std::string_view block) {
  const std::uint64_t before = written_;
  while (!block.empty()) {
    const ssize_t n = ::write(fd_, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    block.remove_prefix(static_cast<std::size_t>(n));
    written_ += static_cast<std::uint64_t>(n);
  }
  // Starts the disk write of the last few MiB (without waiting for it), so
  // that the install's fsync finds little left.
  if (before / kWritebackEvery != written_ / kWritebackEvery) {
    const std::uint64_t from = before / kWritebackEvery * kWritebackEvery;
    ::sync_file_range(fd_, static_cast<off_t>(from), static_cast<off_t>(written_ - from), SYNC_FILE_RANGE_WRITE);
  }
  return 0;
}

int UploadWriter::finish() {
  if (!direct_) return 0;
  if (const int error = write_gathered(gathered_ / kAlign * kAlign)) return error;
  if (!direct_) return 0;  // write_gathered wrote everything buffered
  if (!stop_direct()) return EINVAL;
  const std::size_t tail = std::exchange(gathered_, 0);
  return write_buffered({buffer_.get(), tail});
}

}  // namespace edgehub::hub
