#include "p2p/crypto/aead.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgehub::p2p::crypto {
namespace {

std::array<std::uint8_t, 32> key_of(std::uint8_t b) {
  std::array<std::uint8_t, 32> k{};
  k.fill(b);
  return k;
}

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

struct Sealed {
  std::vector<std::uint8_t> ad, cipher;
};

Sealed seal(const Aead& a, std::uint64_t counter, const std::string& ad, const std::string& plain) {
  Sealed s{bytes(ad), std::vector<std::uint8_t>(plain.size() + a.overhead())};
  const auto p = bytes(plain);
  a.seal(counter, s.ad, p, s.cipher.data());
  return s;
}

std::optional<std::string> open(const Aead& a, std::uint64_t counter, const Sealed& s) {
  std::vector<std::uint8_t> out(s.cipher.size());
  if (!a.open(counter, s.ad, s.cipher, out.data())) return std::nullopt;
  return std::string(out.begin(), out.begin() + static_cast<long>(s.cipher.size() - a.overhead()));
}

TEST(Aead, RoundTripAndNoPlaintextInTheCipher) {
  const auto a = Aead::make(key_of(7));
  EXPECT_EQ(a.overhead(), 16u);
  const std::string plain = "PATTERN PATTERN PATTERN PATTERN";
  const auto s = seal(a, 42, "header", plain);
  EXPECT_EQ(s.cipher.size(), plain.size() + 16);
  EXPECT_EQ(std::string(s.cipher.begin(), s.cipher.end()).find("PATTERN"), std::string::npos);
  EXPECT_EQ(open(a, 42, s), plain);
  EXPECT_EQ(open(Aead::make(key_of(7)), 42, s), plain);  // a second Aead of the same key
}

TEST(Aead, EmptyPlaintextStillAuthenticatesTheAd) {
  const auto a = Aead::make(key_of(1));
  auto s = seal(a, 0, "only the header", "");
  EXPECT_EQ(open(a, 0, s), "");
  s.ad[0] ^= 1;
  EXPECT_EQ(open(a, 0, s), std::nullopt);
}

TEST(Aead, TamperedCipherAdCounterOrKeyFails) {
  const auto a = Aead::make(key_of(3));
  const auto good = seal(a, 9, "routing", "secret data");
  for (std::size_t i = 0; i < good.cipher.size(); ++i) {
    auto bad = good;
    bad.cipher[i] ^= 0x80;
    EXPECT_EQ(open(a, 9, bad), std::nullopt) << "byte " << i;
  }
  auto bad_ad = good;
  bad_ad.ad.back() ^= 1;
  EXPECT_EQ(open(a, 9, bad_ad), std::nullopt);
  EXPECT_EQ(open(a, 10, good), std::nullopt);
  EXPECT_EQ(open(Aead::make(key_of(4)), 9, good), std::nullopt);
  auto short_one = good;
  short_one.cipher.resize(15);
  EXPECT_EQ(open(a, 9, short_one), std::nullopt);
}

TEST(Aead, CountersGiveDifferentCiphertexts) {
  const auto a = Aead::make(key_of(5));
  EXPECT_NE(seal(a, 1, "", "same").cipher, seal(a, 2, "", "same").cipher);
  EXPECT_EQ(seal(a, 1, "", "same").cipher, seal(a, 1, "", "same").cipher);  // deterministic: never reuse one
}

TEST(Aead, SealsInPlace) {
  const auto a = Aead::make(key_of(6));
  std::vector<std::uint8_t> buf = bytes("in place please");
  const std::size_t n = buf.size();
  buf.resize(n + a.overhead());
  a.seal(77, {}, std::span(buf.data(), n), buf.data());
  std::vector<std::uint8_t> out(n);
  ASSERT_TRUE(a.open(77, {}, buf, out.data()));
  EXPECT_EQ(std::string(out.begin(), out.end()), "in place please");
}

TEST(Aead, PicksAesGcmWhereTheCpuHasAesNi) {
  const std::string name = Aead::make(key_of(8)).name();
  EXPECT_TRUE(name == "aes256gcm" || name == "xchacha20poly1305") << name;
}

}  // namespace
}  // namespace edgehub::p2p::crypto
