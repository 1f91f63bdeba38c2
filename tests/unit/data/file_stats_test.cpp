#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "data/file_stats.hpp"
#include "data/generator.hpp"

namespace edgehub::data {
namespace {

TEST(FileStats, MatchesTheGeneratorAndReportsBadLines) {
  const auto dir = std::filesystem::temp_directory_path() / ("edgehub_fstats_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  GeneratorConfig c;
  c.count = 30'000;
  c.seed = 11;
  const auto summary = generate_file(dir / "a.txt", c);
  const auto stats = stats_of_file(dir / "a.txt");
  ASSERT_TRUE(stats) << stats.error();
  EXPECT_TRUE(*stats == summary.stats);

  std::ofstream(dir / "bad.txt") << "1\r\n2\r\n\r\n";
  EXPECT_EQ(stats_of_file(dir / "bad.txt").error(), "line 3: empty line");
  std::ofstream(dir / "empty.txt") << "";
  EXPECT_EQ(stats_of_file(dir / "empty.txt")->count, 0u);
  EXPECT_FALSE(stats_of_file(dir / "missing.txt"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgehub::data
