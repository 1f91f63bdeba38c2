// The ChunkSink that feeds a PartFile from a ranged EHT transfer, and the
// ChunkSource that serves its verified chunks (docs/SWARM.md#4-peer-wire).
#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include "p2p/swarm/block_cache.hpp"
#include "p2p/swarm/part_file.hpp"

namespace edgehub::p2p::swarm {
namespace {

// A chunk's bytes so far, in one of the part file's buffers.
class ChunkBytes {
 public:
  explicit ChunkBytes(PartFile::ChunkBuffer data) : data_(std::move(data)) {}
  void append(std::span<const std::uint8_t> bytes) {
    std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  std::span<const std::uint8_t> bytes() const { return {data_.get(), size_}; }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }
  PartFile::ChunkBuffer release() { return std::move(data_); }

 private:
  PartFile::ChunkBuffer data_;
  std::size_t size_ = 0;
};

// Collects each chunk of the range in memory and hands it to the part file
// once complete: only verified bytes reach the file.
class PartChunkSink : public ChunkSink {
 public:
  PartChunkSink(std::shared_ptr<PartFile> part, std::uint32_t first, std::uint32_t count,
                PartFile::ChunkCallback on_verified, PartFile::ChunkCallback on_bad)
      : part_(std::move(part)),
        chunk_(first),
        end_(first + count),
        on_verified_(std::move(on_verified)),
        on_bad_(std::move(on_bad)) {}
  ~PartChunkSink() override { release_buffer(); }
  PartChunkSink(const PartChunkSink&) = delete;
  PartChunkSink& operator=(const PartChunkSink&) = delete;

  void write(std::span<const std::uint8_t> data) override {
    while (!data.empty()) {
      if (chunk_ >= end_) throw std::runtime_error("more bytes than the requested chunks");
      if (!buffer_) buffer_.emplace(part_->take_buffer());  // at the first byte: a queued sink costs nothing
      const auto want = part_->manifest().chunk_length(chunk_) - buffer_->size();
      const auto n = std::min<std::size_t>(want, data.size());
      buffer_->append(data.first(n));
      data = data.subspan(n);
      if (n == want) chunk_done();
    }
  }

  // The verified chunks are already in the part file; it syncs them on its own schedule.
  void commit() override {
    if (chunk_ != end_) throw std::runtime_error("the transfer ended before chunk " + std::to_string(chunk_));
  }

  void discard() noexcept override { release_buffer(); }

 private:
  void release_buffer() noexcept {
    if (buffer_) part_->give_back(buffer_->release());
    buffer_.reset();
  }

  void chunk_done() {
    const auto chunk = chunk_;
    const bool good = part_->store_chunk(chunk, buffer_->bytes());
    buffer_->clear();
    ++chunk_;
    // The range is done: the buffer goes back now, not when the transfer
    // that owns this sink is destroyed, which may be seconds later.
    if (chunk_ == end_ || !good) release_buffer();
    if (!good) {
      if (on_bad_) on_bad_(chunk);
      throw std::runtime_error("chunk " + std::to_string(chunk) + " does not match its SHA-256");
    }
    if (on_verified_) on_verified_(chunk);
  }

  std::shared_ptr<PartFile> part_;
  std::uint32_t chunk_, end_;
  PartFile::ChunkCallback on_verified_, on_bad_;
  std::optional<ChunkBytes> buffer_;  // the current chunk so far
};

// Serves verified chunks of the part file, through a BlockCache: reading
// the file in 1 MiB blocks saves a system call per datagram.
class PartRangeSource : public ChunkSource {
 public:
  PartRangeSource(std::shared_ptr<PartFile> part, std::uint64_t offset, std::uint64_t length)
      : part_(std::move(part)), offset_(offset), cache_(length) {}
  std::uint64_t size() const override { return cache_.size(); }
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override {
    cache_.read(offset, out,
                [this](std::uint64_t start, std::span<std::uint8_t> bytes) { part_->read(offset_ + start, bytes); });
  }

 private:
  std::shared_ptr<PartFile> part_;
  std::uint64_t offset_;
  BlockCache cache_;
};

// Byte range of chunks [first, first + count); false if out of range.
bool range_of(const Manifest& m, std::uint32_t first, std::uint32_t count, std::uint64_t& offset,
              std::uint64_t& length) {
  if (count == 0 || first >= m.chunk_count() || count > m.chunk_count() - first) return false;
  offset = m.chunk_offset(first);
  length = std::min(m.chunk_offset(first + count), m.size) - offset;
  return true;
}

}  // namespace

std::unique_ptr<ChunkSink> PartFile::chunk_sink(std::uint32_t first, std::uint32_t count, ChunkCallback on_verified,
                                                ChunkCallback on_bad) {
  std::uint64_t offset = 0, length = 0;
  if (!range_of(manifest_, first, count, offset, length))
    throw std::out_of_range("chunks " + std::to_string(first) + "+" + std::to_string(count) + " are out of range");
  // The sinks keep the part file alive: a transfer may outlive the download's own reference.
  return std::make_unique<PartChunkSink>(shared_from_this(), first, count, std::move(on_verified), std::move(on_bad));
}

std::unique_ptr<ChunkSource> PartFile::range_source(std::uint32_t first, std::uint32_t count) {
  std::uint64_t offset = 0, length = 0;
  if (!range_of(manifest_, first, count, offset, length)) return nullptr;
  for (auto c = first; c < first + count; ++c)
    if (!have_.test(c)) return nullptr;
  return std::make_unique<PartRangeSource>(shared_from_this(), offset, length);
}

}  // namespace edgehub::p2p::swarm
