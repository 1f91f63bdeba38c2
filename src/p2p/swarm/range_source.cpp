#include "p2p/swarm/range_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace edgehub::p2p::swarm {
FileStamp stamp_of(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

FileStamp stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::system_error(errno, std::generic_category(), path.string());
  return stamp_of(st);
}

RangeSource::RangeSource(const std::filesystem::path& path, FileStamp expected, std::uint64_t offset,
                         std::uint64_t length)
    : path_(path), expected_(expected), offset_(offset), cache_(length) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  try {
    check_unchanged();
    if (offset + length > expected.size) throw std::out_of_range("the range is past the end of " + path.string());
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

RangeSource::~RangeSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<RangeSource> RangeSource::for_chunks(const std::filesystem::path& path, FileStamp expected,
                                                     const Manifest& manifest, std::uint32_t first,
                                                     std::uint32_t count) {
  if (count == 0 || first >= manifest.chunk_count() || count > manifest.chunk_count() - first) return nullptr;
  auto offset = manifest.chunk_offset(first);
  auto end = std::min(manifest.chunk_offset(first + count), manifest.size);
  return std::make_unique<RangeSource>(path, expected, offset, end - offset);
}

void RangeSource::check_unchanged() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot examine " + path_.string());
  if (stamp_of(st) != expected_) throw FileChanged(path_.filename().string() + " changed since it was shared");
}

// Reads go to the disk in the cache's blocks, and the file is checked after
// each: about one fstat per MiB served.
void RangeSource::fill(std::uint64_t start, std::span<std::uint8_t> out) const {
  std::size_t got = 0;
  while (got < out.size()) {
    auto n = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(offset_ + start + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "cannot read " + path_.string());
    if (n == 0) break;  // shorter than shared: the check below says so
    got += static_cast<std::size_t>(n);
  }
  // After the read: a change that landed before or during it shows in the stamp.
  check_unchanged();
  if (got < out.size()) throw FileChanged(path_.filename().string() + " got shorter since it was shared");
}

void RangeSource::read(std::uint64_t offset, std::span<std::uint8_t> out) {
  cache_.read(offset, out, [this](std::uint64_t start, std::span<std::uint8_t> bytes) { fill(start, bytes); });
}

}  // namespace edgehub::p2p::swarm
