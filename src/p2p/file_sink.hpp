#pragma once
// ChunkSink writing a temporary file next to its final name and renaming it
// only on commit (after the SHA-256 matched), so a failed or abandoned
// transfer never leaves a final file. Writes go through a 1 MiB buffer.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "p2p/chunk_io.hpp"

namespace edgehub::p2p {

class FileSink : public ChunkSink {
 public:
  // Creates dir/.<final_name>.part-<tag> exclusively; throws std::system_error.
  FileSink(const std::filesystem::path& dir, const std::string& final_name, const std::string& tag);
  ~FileSink() override;  // discards unless committed
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void write(std::span<const std::uint8_t> data) override;
  void commit() override;
  void discard() noexcept override;

  const std::filesystem::path& final_path() const { return final_; }
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  void flush();

  std::filesystem::path final_, temp_;
  int fd_ = -1;
  bool committed_ = false;
  std::uint64_t written_ = 0, writeback_from_ = 0;
  std::vector<std::uint8_t> buf_;
};

}  // namespace edgehub::p2p
