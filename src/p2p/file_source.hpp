#pragma once
// ChunkSource over a file on disk: pread through a small direct-mapped block
// cache, so first transmissions read sequentially in big blocks and
// retransmissions (always within the window) usually hit memory.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "p2p/chunk_io.hpp"

namespace edgehub::p2p {

class FileSource : public ChunkSource {
 public:
  explicit FileSource(const std::filesystem::path& path);  // throws std::system_error
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::uint64_t size() const override { return size_; }
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  const std::uint8_t* block(std::uint64_t index);

  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::vector<std::uint8_t> cache_;
  std::vector<std::uint64_t> cached_index_;  // block index + 1 per way; 0 = empty
};

}  // namespace edgehub::p2p
