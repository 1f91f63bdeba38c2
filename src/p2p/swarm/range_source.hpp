#pragma once
// The seeder's ChunkSource (docs/SWARM.md#4-peer-wire): a byte range of a
// shared file, read straight from the file, that refuses to serve once the
// file no longer has the size and modification time it had when it was
// shared. A changed file is never served as the old version; the seeder
// withdraws it.
#include <sys/stat.h>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <vector>

#include "p2p/chunk_io.hpp"
#include "p2p/swarm/block_cache.hpp"
#include "p2p/swarm/manifest.hpp"

namespace edgehub::p2p::swarm {

// What identifies the version of a shared file without reading it.
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_of(const struct stat& st);
// Throws std::system_error if the file cannot be examined.
FileStamp stamp_of(const std::filesystem::path& path);

// Thrown when the file changed since it was shared (size or mtime).
class FileChanged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RangeSource : public ChunkSource {
 public:
  // Serves [offset, offset + length) of path. Throws FileChanged if the file
  // does not have `expected` now, std::system_error if it cannot be opened.
  RangeSource(const std::filesystem::path& path, FileStamp expected, std::uint64_t offset, std::uint64_t length);
  ~RangeSource() override;
  RangeSource(const RangeSource&) = delete;
  RangeSource& operator=(const RangeSource&) = delete;

  // The range of chunks [first, first + count) of a manifest; nullptr if out of range.
  static std::unique_ptr<RangeSource> for_chunks(const std::filesystem::path& path, FileStamp expected,
                                                 const Manifest& manifest, std::uint32_t first, std::uint32_t count);

  std::uint64_t size() const override { return cache_.size(); }
  // Throws FileChanged when the file changed (checked after every disk read).
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  void fill(std::uint64_t start, std::span<std::uint8_t> out) const;
  void check_unchanged() const;

  std::filesystem::path path_;
  FileStamp expected_;
  std::uint64_t offset_;
  int fd_ = -1;
  BlockCache cache_;  // of [offset_, offset_ + length)
};

}  // namespace edgehub::p2p::swarm
