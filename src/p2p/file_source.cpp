#include "p2p/file_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace edgehub::p2p {
namespace {
constexpr std::size_t kBlock = 1 << 20;
constexpr std::size_t kWays = 16;  // 16 MiB: more than a full receive window
}  // namespace

FileSource::FileSource(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw std::system_error(EINVAL, std::generic_category(), path.string() + " is not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  cached_index_.assign(kWays, 0);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

const std::uint8_t* FileSource::block(std::uint64_t index) {
  auto way = static_cast<std::size_t>(index % kWays);
  if (cache_.empty()) cache_.resize(kBlock * kWays);
  std::uint8_t* dst = cache_.data() + way * kBlock;
  if (cached_index_[way] == index + 1) return dst;
  std::uint64_t offset = index * kBlock;
  auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, size_ - offset));
  std::size_t got = 0;
  while (got < want) {
    auto n = ::pread(fd_, dst + got, want - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "read failed");
    if (n == 0) throw std::runtime_error("the file got shorter while being sent");
    got += static_cast<std::size_t>(n);
  }
  cached_index_[way] = index + 1;
  return dst;
}

void FileSource::read(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (offset + out.size() > size_) throw std::runtime_error("read past the end of the file");
  std::size_t done = 0;
  while (done < out.size()) {
    auto pos = offset + done;
    const std::uint8_t* b = block(pos / kBlock);
    auto in_block = static_cast<std::size_t>(pos % kBlock);
    auto n = std::min(out.size() - done, kBlock - in_block);
    std::memcpy(out.data() + done, b + in_block, n);
    done += n;
  }
}

}  // namespace edgehub::p2p
