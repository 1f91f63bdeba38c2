#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "data/answer.hpp"
#include "data/generator.hpp"
#include "data/median.hpp"
#include "data/random.hpp"
#include "data/stats_format.hpp"

namespace edgehub::data {
namespace {

// Plain sort: the oracle.
Int128 sorted_twice_median(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? Int128{v[n / 2]} * 2 : Int128{v[n / 2 - 1]} + Int128{v[n / 2]};
}

Median median(std::vector<std::int64_t> v) { return median_of(std::span<std::int64_t>(v)); }

TEST(MedianOf, SmallCases) {
  EXPECT_EQ(median({}).count, 0u);
  EXPECT_TRUE(median({5}).twice == 10);
  EXPECT_TRUE(median({1, 2}).twice == 3);
  EXPECT_EQ(format_half(median({1, 2}).twice), "1.5");
  EXPECT_TRUE(median({3, 1, 2}).twice == 4);
  EXPECT_TRUE(median({7, 7, 7, 7}).twice == 14);
  const auto lo = std::numeric_limits<std::int64_t>::min();
  const auto hi = std::numeric_limits<std::int64_t>::max();
  EXPECT_TRUE(median({lo, hi}).twice == -1);
  EXPECT_TRUE(median({hi, hi}).twice == Int128{hi} * 2);
  EXPECT_TRUE(median({lo, lo, hi}).twice == Int128{lo} * 2);
}

TEST(MedianOf, MatchesSortingOnManyShapes) {
  Xoshiro256 rng(42);
  for (int round = 0; round < 60; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(rng.uniform(0, round < 30 ? 50 : 200'000));
    const std::int64_t spread =
        round % 3 == 0 ? 3 : (round % 3 == 1 ? 1'000'000 : std::numeric_limits<std::int64_t>::max());
    std::vector<std::int64_t> v(n);
    for (auto& x : v) x = rng.uniform(-spread, spread);
    if (round % 5 == 0)
      std::fill(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), spread);  // heavy duplicates
    EXPECT_TRUE(median(v).twice == sorted_twice_median(v)) << "round " << round << " n " << n;
  }
}

TEST(MedianOfFile, ReadsAndRevalidates) {
  const auto dir = std::filesystem::temp_directory_path() / ("edgehub_median_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "dev-1.txt";
  GeneratorConfig config;
  config.count = 100'001;
  config.seed = 9;
  generate_file(path, config);
  std::vector<std::int64_t> values;
  {
    std::ifstream in(path);
    for (std::int64_t x; in >> x;) values.push_back(x);
  }
  const auto m = median_of_file(path);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->count, 100'001u);
  EXPECT_TRUE(m->twice == sorted_twice_median(values));

  std::ofstream(dir / "last.txt") << "5\n1\n4";
  EXPECT_TRUE(median_of_file(dir / "last.txt")->twice == 8);
  std::ofstream(dir / "empty.txt") << "";
  EXPECT_EQ(median_of_file(dir / "empty.txt")->count, 0u);
  std::ofstream(dir / "bad.txt") << "5\n1\nx\n";
  EXPECT_EQ(median_of_file(dir / "bad.txt").error(),
            "stored file is not valid: line 3: not an integer (unexpected character 'x')");
  EXPECT_FALSE(median_of_file(dir / "missing.txt"));
  EXPECT_EQ(*answer_median(FileId(4), dir / "last.txt"), "file 4: MEDIAN = 4");
  std::ofstream(dir / "even.txt") << "-3\n10\n-2\n1\n";
  EXPECT_EQ(*answer_median(FileId(4), dir / "even.txt"), "file 4: MEDIAN = -0.5");
  EXPECT_EQ(*answer_median(FileId(4), dir / "empty.txt"), "file 4 holds no values: MEDIAN is undefined");
  EXPECT_FALSE(answer_median(FileId(4), dir / "bad.txt"));
  std::filesystem::remove_all(dir);
}

// Files from 4 MiB up are parsed in two parts on two threads: the answer,
// the missing final newline and the line number of a bad line must come
// out as from one pass.
TEST(MedianOfFile, FilesParsedInPartsAnswerAsOnePass) {
  const auto dir = std::filesystem::temp_directory_path() / ("edgehub_median_parts_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Xoshiro256 rng(7);
  std::vector<std::int64_t> values(700'001);
  for (auto& x : values) x = rng.uniform(-9'999'999, 9'999'999);
  auto write = [&](const std::string& name, std::size_t bad_a, std::size_t bad_b, bool final_newline) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
      text += (i == bad_a || i == bad_b) ? std::string("x") : std::to_string(values[i]);
      if (i + 1 < values.size() || final_newline) text += '\n';
    }
    ASSERT_GT(text.size(), std::size_t{4} << 20) << "big enough to be split";
    std::ofstream(dir / name, std::ios::binary) << text;
  };
  const std::size_t none = values.size();
  write("whole.txt", none, none, true);
  write("no-final-newline.txt", none, none, false);
  write("bad-late.txt", 600'000, none, true);
  write("bad-both.txt", 100, 600'000, true);
  const Int128 expected = sorted_twice_median(values);
  for (const char* name : {"whole.txt", "no-final-newline.txt"}) {
    const auto m = median_of_file(dir / name);
    ASSERT_TRUE(m) << name << ": " << m.error();
    EXPECT_EQ(m->count, values.size()) << name;
    EXPECT_TRUE(m->twice == expected) << name;
  }
  EXPECT_EQ(median_of_file(dir / "bad-late.txt").error(),
            "stored file is not valid: line 600001: not an integer (unexpected character 'x')");
  EXPECT_EQ(median_of_file(dir / "bad-both.txt").error(),
            "stored file is not valid: line 101: not an integer (unexpected character 'x')");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgehub::data
