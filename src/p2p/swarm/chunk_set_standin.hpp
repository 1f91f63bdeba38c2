#pragma once
// TEMPORARY stand-in for ChunkSet of chunk_ranges.hpp (branch swarm-tracker),
// same interface subset; removed once that lands on main.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::p2p::swarm {

class ChunkSet {
 public:
  ChunkSet() = default;
  explicit ChunkSet(std::uint32_t size) : size_(size), bits_((std::size_t{size} + 7) / 8, 0) {}
  static std::optional<ChunkSet> from_hex(std::string_view hex, std::uint32_t size) {
    ChunkSet s(size);
    if (hex.size() != s.bits_.size() * 2) return {};
    for (std::uint32_t i = 0; i < size; ++i) {
      auto c = hex[i / 4];
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (v < 0) return {};
      if ((v >> (3 - i % 4)) & 1) s.set(i);
    }
    return s;
  }
  std::uint32_t size() const { return size_; }
  std::uint32_t count() const { return count_; }
  bool complete() const { return count_ == size_; }
  bool test(std::uint32_t i) const { return i < size_ && (bits_[i / 8] >> (7 - i % 8)) & 1; }
  bool set(std::uint32_t i) {
    if (i >= size_ || test(i)) return false;
    bits_[i / 8] = static_cast<std::uint8_t>(bits_[i / 8] | (1u << (7 - i % 8)));
    ++count_;
    return true;
  }
  std::string to_hex() const {
    static const char* d = "0123456789abcdef";
    std::string out;
    for (auto b : bits_) {
      out += d[b >> 4];
      out += d[b & 15];
    }
    return out;
  }

 private:
  std::uint32_t size_ = 0, count_ = 0;
  std::vector<std::uint8_t> bits_;
};

}  // namespace edgehub::p2p::swarm
