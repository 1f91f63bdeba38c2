#pragma once
// Bounds-checked big-endian readers and writers over byte spans, used by the
// packet codec. A reader that runs past the end sets a sticky failure flag
// instead of reading out of bounds, so decode code can check once at the end.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace edgehub::p2p {

class WireReader {
 public:
  explicit WireReader(std::span<const std::uint8_t> in) : in_(in) {}

  template <typename T>
  T uint() {
    T v = 0;
    if (!take(sizeof(T))) return 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>((v << 8) | in_[pos_ - sizeof(T) + i]);
    return v;
  }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    if (!take(n)) return {};
    return in_.subspan(pos_ - n, n);
  }
  std::span<const std::uint8_t> rest() { return bytes(remaining()); }
  std::size_t remaining() const { return failed_ ? 0 : in_.size() - pos_; }
  bool ok() const { return !failed_; }
  bool at_end() const { return !failed_ && pos_ == in_.size(); }

 private:
  bool take(std::size_t n) {
    if (failed_ || in_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    pos_ += n;
    return true;
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

class WireWriter {
 public:
  explicit WireWriter(std::span<std::uint8_t> out) : out_(out) {}

  template <typename T>
  void uint(T v) {
    if (!room(sizeof(T))) return;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      out_[pos_ + i] = static_cast<std::uint8_t>(v >> (8 * (sizeof(T) - 1 - i)));
    pos_ += sizeof(T);
  }
  void bytes(const void* p, std::size_t n) {
    if (!room(n)) return;
    if (n > 0) std::memcpy(out_.data() + pos_, p, n);
    pos_ += n;
  }
  void bytes(std::span<const std::uint8_t> s) { bytes(s.data(), s.size()); }
  void text(std::string_view s) { bytes(s.data(), s.size()); }
  std::size_t size() const { return pos_; }
  bool ok() const { return !failed_; }
  void fail() { failed_ = true; }  // a field is out of range: refuse to encode

 private:
  bool room(std::size_t n) {
    if (failed_ || out_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    return true;
  }
  std::span<std::uint8_t> out_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace edgehub::p2p
