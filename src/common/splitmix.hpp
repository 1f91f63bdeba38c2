#pragma once
// SplitMix64 (Steele, Lea and Flood): tiny, fast and fully specified, so a
// seeded run repeats on any platform and standard library. It seeds the
// EDG generator (data/random) and draws the loss, delay and reordering of
// the UDP relay and of the simulated network in the transport tests.
#include <cstdint>

namespace edgehub {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

 private:
  std::uint64_t s_;
};

}  // namespace edgehub
