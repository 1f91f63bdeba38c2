#pragma once
// EDG: COUNT integers, one a line ("\n" endings, final newline included).
//
// Distribution: independent, uniform over [min, max] (default
// [-1000000000, 1000000000], about 10.4 bytes a line), drawn with
// Xoshiro256 (random.hpp) from `seed`: the same seed and bounds give the
// same file, byte for byte, everywhere.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "data/stats.hpp"

namespace edgehub::data {

inline constexpr std::uint64_t max_generate_count = 1'000'000'000;  // ~10.4 GB at the default bounds

struct GeneratorConfig {
  std::uint64_t count = 0;
  std::uint64_t seed = 0;
  std::int64_t min = -1'000'000'000;
  std::int64_t max = 1'000'000'000;
};

struct GenerationSummary {
  std::uint64_t bytes = 0;
  Stats stats;  // of what was written, for checks and tests
};

// A seed from the clock, for when repeatability was not asked for.
std::uint64_t seed_from_clock();

// Hands the text to `sink` in blocks of about 1 MiB.
GenerationSummary generate(const GeneratorConfig& config, const std::function<void(std::string_view)>& sink);

std::string generate_string(const GeneratorConfig& config);

// Writes `target` through a temporary in the same directory and a rename, so
// an interrupted EDG never leaves a half-written file under the real name.
// Throws std::system_error (target untouched).
GenerationSummary generate_file(const std::filesystem::path& target, const GeneratorConfig& config);

}  // namespace edgehub::data
