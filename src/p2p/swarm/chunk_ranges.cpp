#include "p2p/swarm/chunk_ranges.hpp"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::p2p::swarm {
namespace {

std::string quoted_token(std::string_view token) {
  constexpr std::size_t kShown = 32;
  std::string shown;
  for (const char c : token.substr(0, kShown)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (token.size() > kShown) shown += "...";
  return shown;
}

bool fail(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
  return false;
}

// A chunk number of the list: decimal digits only, within 32 bits.
std::optional<std::uint32_t> parse_number(std::string_view text) {
  const auto value = parse_uint64(text);
  if (!value || *value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

bool check_range(std::uint32_t chunk, std::uint32_t chunk_count, std::string* error) {
  if (chunk < chunk_count) return true;
  return fail(error, fmt::format("chunk {} is out of range (the file has {} chunk{})", chunk, chunk_count,
                                 chunk_count == 1 ? "" : "s"));
}

// Appends the chunks of one token ("7" or "3-9") to out.
bool add_token(std::string_view token, std::uint32_t chunk_count, std::vector<std::uint32_t>& out, std::string* error) {
  const auto bad = [&] {
    return fail(error, fmt::format("'{}' is not a chunk number or a range such as 0-9", quoted_token(token)));
  };
  const auto dash = token.find('-');
  const auto first = parse_number(token.substr(0, dash));
  if (!first) return bad();
  const auto last = dash == std::string_view::npos ? first : parse_number(token.substr(dash + 1));
  if (!last || *last < *first) return bad();
  if (!check_range(*first, chunk_count, error) || !check_range(*last, chunk_count, error)) return false;
  for (std::uint64_t i = *first; i <= *last; ++i) out.push_back(static_cast<std::uint32_t>(i));
  return true;
}

}  // namespace

std::optional<std::vector<std::uint32_t>> parse_chunk_list(std::string_view text, std::uint32_t chunk_count,
                                                           std::string* error) {
  if (text.empty()) {
    fail(error, "no chunks given (a list such as 0-9,12)");
    return std::nullopt;
  }
  std::vector<std::uint32_t> chunks;
  while (true) {
    const auto comma = text.find(',');
    if (!add_token(text.substr(0, comma), chunk_count, chunks, error)) return std::nullopt;
    // A list holds each chunk at most once after merging, so this stays
    // bounded by chunk_count even for "0-9,0-9,0-9,...".
    if (chunks.size() > 2 * std::size_t{chunk_count}) {
      std::sort(chunks.begin(), chunks.end());
      chunks.erase(std::unique(chunks.begin(), chunks.end()), chunks.end());
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::sort(chunks.begin(), chunks.end());
  chunks.erase(std::unique(chunks.begin(), chunks.end()), chunks.end());
  return chunks;
}

std::string format_chunk_ranges(const std::vector<std::uint32_t>& sorted_chunks) {
  std::string out;
  std::size_t i = 0;
  while (i < sorted_chunks.size()) {
    std::size_t j = i;
    while (j + 1 < sorted_chunks.size() && sorted_chunks[j + 1] == sorted_chunks[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", sorted_chunks[i]) : fmt::format("{}-{}", sorted_chunks[i], sorted_chunks[j]);
    i = j + 1;
  }
  return out;
}

ChunkSet::ChunkSet(std::uint32_t size) : size_(size), bits_((std::size_t{size} + 7) / 8, 0) {}

ChunkSet ChunkSet::full(std::uint32_t size) {
  ChunkSet set(size);
  set.set_all();
  return set;
}

std::optional<ChunkSet> ChunkSet::from_hex(std::string_view hex, std::uint32_t size) {
  ChunkSet set(size);
  if (hex.size() != set.bits_.size() * 2 || !edgehub::from_hex(hex, set.bits_.data(), set.bits_.size()))
    return std::nullopt;
  if (size % 8 != 0 && (set.bits_.back() & (0xffu >> (size % 8))) != 0) return std::nullopt;
  for (const auto byte : set.bits_) set.count_ += static_cast<std::uint32_t>(std::popcount(byte));
  return set;
}

bool ChunkSet::test(std::uint32_t index) const {
  return index < size_ && (bits_[index / 8] & (0x80u >> (index % 8))) != 0;
}

bool ChunkSet::set(std::uint32_t index) {
  if (index >= size_ || test(index)) return false;
  bits_[index / 8] = static_cast<std::uint8_t>(bits_[index / 8] | (0x80u >> (index % 8)));
  ++count_;
  return true;
}

void ChunkSet::set_all() {
  std::fill(bits_.begin(), bits_.end(), std::uint8_t{0xff});
  if (size_ % 8 != 0) bits_.back() = static_cast<std::uint8_t>(0xff00u >> (size_ % 8));
  count_ = size_;
}

std::uint32_t ChunkSet::count_of(const std::vector<std::uint32_t>& chunks) const {
  return static_cast<std::uint32_t>(std::count_if(chunks.begin(), chunks.end(), [&](auto i) { return test(i); }));
}

std::string ChunkSet::to_hex() const { return edgehub::to_hex(bits_.data(), bits_.size()); }

std::string ChunkSet::ranges() const { return format_chunk_ranges(chunks()); }

std::vector<std::uint32_t> ChunkSet::chunks() const {
  std::vector<std::uint32_t> out;
  out.reserve(count_);
  for (std::uint32_t i = 0; i < size_; ++i)
    if (test(i)) out.push_back(i);
  return out;
}

}  // namespace edgehub::p2p::swarm
