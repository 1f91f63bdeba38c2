#pragma once
// Chunk numbers as people and the tracker write them ("0-9,12") and as a
// bitmap (ChunkSet), shared by the tracker, the downloader and the seeder
// (docs/SWARM.md#2-tracker-protocol). Pure code.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::p2p::swarm {

// Parses a list of chunk numbers and inclusive ranges ("0-9,12", in any
// order, overlaps and duplicates merged) of a file of chunk_count chunks.
// Returns the chunks sorted and unique, or nullopt with *error (if given)
// saying which token is wrong, or "chunk 99 is out of range (the file has
// 40 chunks)".
std::optional<std::vector<std::uint32_t>> parse_chunk_list(std::string_view text, std::uint32_t chunk_count,
                                                           std::string* error);

// The inverse for sorted, unique chunks: {0,1,2,...,9,12} -> "0-9,12"; "" for none.
std::string format_chunk_ranges(const std::vector<std::uint32_t>& sorted_chunks);

// Which chunks of a file a device holds: a bitmap of size() bits. In hex,
// chunk i is bit (7 - i%8) of byte i/8, so "80" is chunk 0 alone and "ffc0"
// chunks 0-9 (of a file of 10..16 chunks); unused bits are zero.
class ChunkSet {
 public:
  ChunkSet() = default;
  explicit ChunkSet(std::uint32_t size);

  // Every chunk set.
  static ChunkSet full(std::uint32_t size);
  // nullopt unless hex is exactly (size + 7) / 8 bytes of lower-case hex
  // with no bit set past size.
  static std::optional<ChunkSet> from_hex(std::string_view hex, std::uint32_t size);

  std::uint32_t size() const { return size_; }
  std::uint32_t count() const { return count_; }  // chunks set
  bool complete() const { return count_ == size_; }
  bool test(std::uint32_t index) const;
  // Sets chunk index (ignored past size()); true if it was not set.
  bool set(std::uint32_t index);
  void set_all();
  // How many of these sorted chunks are set.
  std::uint32_t count_of(const std::vector<std::uint32_t>& chunks) const;

  std::string to_hex() const;
  std::string ranges() const;  // "0-9,12"
  std::vector<std::uint32_t> chunks() const;
  // Bytes of the bitmap, for the tracker's memory accounting.
  std::size_t bitmap_bytes() const { return bits_.size(); }

  bool operator==(const ChunkSet&) const = default;

 private:
  std::uint32_t size_ = 0;
  std::uint32_t count_ = 0;
  std::vector<std::uint8_t> bits_;
};

}  // namespace edgehub::p2p::swarm
