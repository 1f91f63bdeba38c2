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
  for (auto& buffer : buffers_) {
    void* memory = nullptr;
    if (::posix_memalign(&memory, kAlign, kCapacity) != 0) return;
    buffer.reset(static_cast<char*>(memory));
  }
  const int flags = ::fcntl(fd_, F_GETFL);
  direct_ = flags >= 0 && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
}

bool UploadWriter::stop_direct() {
  direct_ = false;
  const int flags = ::fcntl(fd_, F_GETFL);
  return flags >= 0 && ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) == 0;
}

int UploadWriter::append(std::string_view block) {
  while (direct_ && !block.empty()) {
    const std::size_t n = std::min(block.size(), kCapacity - gathered_);
    std::memcpy(gathering() + gathered_, block.data(), n);
    gathered_ += n;
    block.remove_prefix(n);
    if (gathered_ < kWriteUnit) continue;
    if (const int error = send_gathered()) return error;
  }
  if (direct_ || block.empty()) return 0;
  const int error = write_at(block.data(), block.size(), end_);  // buffered (or refused direct I/O)
  end_ += block.size();
  return error;
}

int UploadWriter::send_gathered() {
  if (const int error = finish_in_flight()) return error;
  if (!direct_) {  // refused after all: what is gathered goes buffered
    const std::size_t bytes = std::exchange(gathered_, 0);
    end_ += bytes;
    return write_at(gathering(), bytes, end_ - bytes);
  }
  const std::size_t bytes = gathered_ / kAlign * kAlign;
  const char* full = gathering();
  current_ ^= 1;  // the unaligned rest starts the other buffer, free since the wait above
  std::memcpy(gathering(), full + bytes, gathered_ - bytes);
  gathered_ -= bytes;
  in_flight_ = {full, bytes, end_};
  end_ += bytes;
  if (aio_.valid() && aio_.submit(fd_, full, bytes, in_flight_.offset) == 0) return 0;
  const InFlight now = std::exchange(in_flight_, {});  // no AIO: written here and now
  return write_at(now.data, now.bytes, now.offset);
}

int UploadWriter::finish_in_flight() {
  if (!aio_.busy()) return 0;
  const long long result = aio_.wait();
  const InFlight done = std::exchange(in_flight_, {});
  if (result == static_cast<long long>(done.bytes)) return 0;
  if (result < 0 && result != -EINVAL) return static_cast<int>(-result);
  // A short write, or direct I/O refused (the file system took the flag but
  // not the I/O): the rest through the page cache.
  const std::size_t written = result > 0 ? static_cast<std::size_t>(result) : 0;
  if (!stop_direct()) return EINVAL;
  return write_at(done.data + written, done.bytes - written, done.offset + written);
}

int UploadWriter::finish() {
  if (!direct_) return 0;  // buffered writes are all made as they come
  if (const int error = finish_in_flight()) return error;
  const std::size_t aligned = direct_ ? gathered_ / kAlign * kAlign : 0;
  if (const int error = write_now(gathering(), aligned)) return error;
  if (direct_ && !stop_direct()) return EINVAL;
  const std::size_t tail = std::exchange(gathered_, 0) - aligned;
  return write_now(gathering() + aligned, tail);
}

int UploadWriter::write_now(const char* data, std::size_t bytes) {
  end_ += bytes;
  int error = write_at(data, bytes, end_ - bytes);
  if (error == EINVAL && direct_) {
    if (!stop_direct()) return EINVAL;
    error = write_at(data, bytes, end_ - bytes);
  }
  return error;
}

int UploadWriter::write_at(const char* data, std::size_t bytes, std::uint64_t offset) {
  const std::uint64_t start = offset;
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd_, data, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    data += n;
    bytes -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  // Buffered: starts the disk write of the last few MiB (without waiting
  // for it), so that the install's fsync finds little left.
  if (!direct_ && start / kWritebackEvery != offset / kWritebackEvery) {
    const std::uint64_t from = start / kWritebackEvery * kWritebackEvery;
    ::sync_file_range(fd_, static_cast<off_t>(from), static_cast<off_t>(offset - from), SYNC_FILE_RANGE_WRITE);
  }
  return 0;
}

}  // namespace edgehub::hub
