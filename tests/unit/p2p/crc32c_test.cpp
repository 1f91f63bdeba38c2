#include "p2p/crc32c.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace edgehub::p2p {
namespace {

TEST(Crc32c, KnownCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32c(s.data(), s.size()), 0xE3069283u);
  EXPECT_EQ(crc32c_portable(s.data(), s.size()), 0xE3069283u);
}

TEST(Crc32c, EmptyIsZero) { EXPECT_EQ(crc32c(nullptr, 0), 0u); }

TEST(Crc32c, HardwareAndPortableAgreeOnAllLengthsAndAlignments) {
  std::vector<std::uint8_t> buf(4000);  // beyond several rounds of the three-stream path
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>(i * 131 + 7 + (i >> 8));
  for (std::size_t off = 0; off < 8; ++off)
    for (std::size_t len = 0; len + off <= buf.size(); len += 13)
      ASSERT_EQ(crc32c(buf.data() + off, len), crc32c_portable(buf.data() + off, len)) << off << " " << len;
}

TEST(Crc32c, IncrementalEqualsOneShot) {
  const std::string s = "the quick brown fox jumps over the lazy dog";
  auto part = crc32c(s.data(), 10);
  EXPECT_EQ(crc32c(s.data() + 10, s.size() - 10, part), crc32c(s.data(), s.size()));
}

TEST(Crc32c, EverySingleBitFlipChangesTheValue) {
  std::vector<std::uint8_t> buf(64, 0x5A);
  auto base = crc32c(buf.data(), buf.size());
  for (std::size_t bit = 0; bit < buf.size() * 8; ++bit) {
    buf[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_NE(crc32c(buf.data(), buf.size()), base) << bit;
    buf[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
}

}  // namespace
}  // namespace edgehub::p2p
