#include "p2p/crc32c.hpp"

#include <array>
#include <cstring>
#include <vector>

namespace edgehub::p2p {
namespace {

constexpr std::uint32_t kPoly = 0x82F63B78u;  // reflected Castagnoli polynomial

// tables[k][b]: CRC of byte b followed by k zero bytes, for slice-by-8.
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int i = 0; i < 8; ++i) c = (c >> 1) ^ ((c & 1u) ? kPoly : 0u);
    t[0][b] = c;
  }
  for (std::size_t k = 1; k < 8; ++k)
    for (std::size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
  return t;
}

constexpr Tables kTables = make_tables();

std::uint64_t load_le64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32c_hw(const unsigned char* p, std::size_t len, std::uint32_t crc) {
  std::uint64_t c = crc;
  for (; len >= 8; p += 8, len -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);  // x86 is little-endian, as CRC32C's bit order wants
    c = __builtin_ia32_crc32di(c, v);
  }
  auto c32 = static_cast<std::uint32_t>(c);
  for (; len > 0; ++p, --len) c32 = __builtin_ia32_crc32qi(c32, *p);
  return c32;
}

// The crc32 instruction takes 3 cycles but can start one per cycle, so three
// independent streams run at about three times the speed of one. Their CRCs
// are combined with the linearity of CRC: over A||B the register is
// shift_|B|(crc(A)) ^ crc_from_zero(B), where shift_n (feeding n zero bytes)
// is linear in the register and so a lookup per register byte.
constexpr std::size_t kStripe = 480;  // 3 x 480 = 1440: a default DATA datagram is one round

class ZeroShift {
 public:
  explicit ZeroShift(std::size_t zeros) {
    const std::vector<unsigned char> z(zeros, 0);
    for (std::uint32_t i = 0; i < 4; ++i)
      for (std::uint32_t b = 0; b < 256; ++b) table_[i][b] = crc32c_hw(z.data(), z.size(), b << (8 * i));
  }
  std::uint32_t operator()(std::uint32_t reg) const {
    return table_[0][reg & 0xFF] ^ table_[1][(reg >> 8) & 0xFF] ^ table_[2][(reg >> 16) & 0xFF] ^ table_[3][reg >> 24];
  }

 private:
  std::array<std::array<std::uint32_t, 256>, 4> table_{};
};

__attribute__((target("sse4.2"))) std::uint32_t crc32c_hw3(const unsigned char* p, std::size_t len, std::uint32_t crc) {
  static const ZeroShift one(kStripe), two(2 * kStripe);
  for (; len >= 3 * kStripe; p += 3 * kStripe, len -= 3 * kStripe) {
    std::uint64_t a = crc, b = 0, c = 0;
    for (std::size_t i = 0; i < kStripe; i += 8) {
      std::uint64_t va, vb, vc;
      std::memcpy(&va, p + i, 8);
      std::memcpy(&vb, p + kStripe + i, 8);
      std::memcpy(&vc, p + 2 * kStripe + i, 8);
      a = __builtin_ia32_crc32di(a, va);
      b = __builtin_ia32_crc32di(b, vb);
      c = __builtin_ia32_crc32di(c, vc);
    }
    crc = two(static_cast<std::uint32_t>(a)) ^ one(static_cast<std::uint32_t>(b)) ^ static_cast<std::uint32_t>(c);
  }
  return crc32c_hw(p, len, crc);
}

bool have_sse42() {
  static const bool yes = __builtin_cpu_supports("sse4.2");
  return yes;
}
#endif

}  // namespace

std::uint32_t crc32c_portable(const void* data, std::size_t len, std::uint32_t previous) {
  auto p = static_cast<const unsigned char*>(data);
  std::uint32_t c = ~previous;
  for (; len >= 8; p += 8, len -= 8) {
    std::uint64_t v = load_le64(p) ^ c;
    c = kTables[7][v & 0xFF] ^ kTables[6][(v >> 8) & 0xFF] ^ kTables[5][(v >> 16) & 0xFF] ^
        kTables[4][(v >> 24) & 0xFF] ^ kTables[3][(v >> 32) & 0xFF] ^ kTables[2][(v >> 40) & 0xFF] ^
        kTables[1][(v >> 48) & 0xFF] ^ kTables[0][v >> 56];
  }
  for (; len > 0; ++p, --len) c = (c >> 8) ^ kTables[0][(c ^ *p) & 0xFFu];
  return ~c;
}

std::uint32_t crc32c(const void* data, std::size_t len, std::uint32_t previous) {
#if defined(__x86_64__)
  if (have_sse42()) return ~crc32c_hw3(static_cast<const unsigned char*>(data), len, ~previous);
#endif
  return crc32c_portable(data, len, previous);
}

}  // namespace edgehub::p2p
