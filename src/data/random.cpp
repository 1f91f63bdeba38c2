#include "data/random.hpp"

#include <bit>

#include "common/splitmix.hpp"
#include "data/int128.hpp"

namespace edgehub::data {

Xoshiro256::Xoshiro256(std::uint64_t seed) {
  SplitMix64 seeder(seed);
  for (auto& word : s_) word = seeder.next();
}

std::uint64_t Xoshiro256::next() {
  const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = std::rotl(s_[3], 45);
  return result;
}

std::uint64_t Xoshiro256::below(std::uint64_t bound) {
  // The high word of x * bound is uniform once the few low words that would
  // favour some outputs (l < 2^64 mod bound) are rejected.
  UInt128 m = UInt128{next()} * bound;
  if (static_cast<std::uint64_t>(m) < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (static_cast<std::uint64_t>(m) < threshold) m = UInt128{next()} * bound;
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Xoshiro256::uniform(std::int64_t lo, std::int64_t hi) {
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const std::uint64_t offset = span == ~std::uint64_t{0} ? next() : below(span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

}  // namespace edgehub::data
