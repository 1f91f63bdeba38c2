#pragma once
// A small, fully specified random generator, so that EDG output for a given
// seed is the same on every platform and standard library (the
// distributions of <random> are implementation-defined).
//
//   state:   xoshiro256** (Blackman & Vigna), seeded by splitmix64(seed)
//   ranges:  multiply-shift with rejection (Lemire), unbiased
#include <array>
#include <cstdint>

namespace edgehub::data {

class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [lo, hi], unbiased.
  std::int64_t uniform(std::int64_t lo, std::int64_t hi);

 private:
  std::uint64_t below(std::uint64_t bound);  // uniform in [0, bound), bound > 0
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace edgehub::data
