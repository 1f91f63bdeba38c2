// MEDIAN in bounded memory, and failures in its helper threads carried back
// to the caller (docs/EDGE_DATA.md#median-in-bounded-memory).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "data/median.hpp"
#include "data/median_select.hpp"
#include "data/run_parts.hpp"

// Heap accounting for this test binary: every operator new/delete keeps the
// size in a 16-byte header so live bytes and their peak can be followed,
// and allocations above a limit can be made to fail.
namespace {
std::atomic<std::size_t> live_bytes{0};
std::atomic<std::size_t> peak_bytes{0};
std::atomic<std::size_t> fail_above{0};  // 0: never fail
constexpr std::size_t header = 16;

void* counted_new(std::size_t size) {
  const std::size_t limit = fail_above.load();
  if (limit != 0 && size > limit) throw std::bad_alloc();
  auto* p = static_cast<unsigned char*>(std::malloc(size + header));
  if (p == nullptr) throw std::bad_alloc();
  *reinterpret_cast<std::size_t*>(p) = size;
  const std::size_t now = live_bytes.fetch_add(size) + size;
  for (std::size_t peak = peak_bytes.load(); now > peak && !peak_bytes.compare_exchange_weak(peak, now);) {
  }
  return p + header;
}

void counted_delete(void* q) noexcept {
  if (q == nullptr) return;
  auto* p = static_cast<unsigned char*>(q) - header;
  live_bytes.fetch_sub(*reinterpret_cast<std::size_t*>(p));
  std::free(p);
}
}  // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }

namespace edgehub::data {
namespace {

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("edgehub_median_mem_" + std::to_string(::getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// `count` lines "value\n".
std::filesystem::path write_repeated(const TempDir& dir, const std::string& name, const std::string& value,
                                     std::size_t count) {
  const auto path = dir.path / name;
  std::ofstream out(path, std::ios::binary);
  std::string line = value + "\n";
  for (std::size_t i = 0; i < count; ++i) out << line;
  return path;
}

// Peak heap bytes held during f(), above what was live before.
template <class F>
std::size_t peak_during(F&& f) {
  const std::size_t before = live_bytes.load();
  peak_bytes.store(before);
  f();
  return peak_bytes.load() - before;
}

// Histograms (one per part and the merged one) and the values a MEDIAN may
// copy: the bound whatever the file holds.
constexpr std::size_t kBound = 4 * median_detail::bucket_count * sizeof(std::size_t) + kMaxHeldValues * 8 + (1 << 16);

TEST(MedianMemory, EqualValuesAreNeverCopied) {
  TempDir dir;
  // 12 M values, 24 MB: the old flat array alone took 96 MB here.
  const auto path = write_repeated(dir, "zeros.txt", "0", 12'000'000);
  Outcome<Median> m = Failure{"not run"};
  const std::size_t peak = peak_during([&] { m = median_of_file(path); });
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->count, 12'000'000u);
  EXPECT_TRUE(m->twice == 0);
  EXPECT_LE(peak, kBound) << "MEDIAN held " << peak << " bytes";
}

TEST(MedianMemory, OneHugeBucketIsNarrowedNotCopied) {
  TempDir dir;
  // Values 0..3 repeated, plus one far value: [min, max] is wide, so the
  // first histogram puts nearly everything in bucket 0, far above
  // kMaxHeldValues; the next passes narrow it instead of copying it.
  const auto path = dir.path / "skewed.txt";
  {
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = 0; i < 3'000'000; ++i) out << (i % 4) << '\n';
    out << "9000000000000000000\n";
  }
  Outcome<Median> m = Failure{"not run"};
  const std::size_t peak = peak_during([&] { m = median_of_file(path); });
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->count, 3'000'001u);
  EXPECT_TRUE(m->twice == 4) << "the middle of 750k each of 0..3 and one more is 2";
  EXPECT_LE(peak, kBound) << "MEDIAN held " << peak << " bytes";
}

TEST(RunParts, AnExceptionInAHelperThreadReachesTheCaller) {
  const auto main_thread = std::this_thread::get_id();
  EXPECT_THROW(run_parts(2,
                         [&](std::size_t i) {
                           if (i == 1 && std::this_thread::get_id() != main_thread)
                             throw std::runtime_error("helper failed");
                         }),
               std::runtime_error);
  EXPECT_THROW(run_parts(3,
                         [](std::size_t i) {
                           if (i == 0) throw std::bad_alloc();
                         }),
               std::bad_alloc);
  std::atomic<int> ran{0};
  run_parts(3, [&](std::size_t) { ran.fetch_add(1); });
  EXPECT_EQ(ran.load(), 3);
}

TEST(MedianMemory, ShortOfMemoryInAHelperThreadIsAnErrorNotACrash) {
  TempDir dir;
  // 8 MB: parsed in two parts, the second on a helper thread.
  const auto path = write_repeated(dir, "big.txt", "123456", 1'200'000);
  struct FailLarge {
    FailLarge() { fail_above.store(256 * 1024); }  // every histogram allocation fails
    ~FailLarge() { fail_above.store(0); }
  };
  const auto m = [&] {
    const FailLarge guard;
    return median_of_file(path);
  }();
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), "not enough memory for MEDIAN now; try again later");
}

}  // namespace
}  // namespace edgehub::data

namespace edgehub::data {
namespace {

struct VectorSource {
  const std::vector<std::int64_t>& values;
  std::size_t parts() const { return 2; }  // two parts, as a big file has
  template <class F>
  void visit(std::size_t i, F&& f) const {
    const std::size_t half = values.size() / 2;
    for (std::size_t j = i == 0 ? 0 : half; j < (i == 0 ? half : values.size()); ++j) f(values[j]);
  }
};

// Every step of the selection (narrowing, the two-bucket edges, one-value
// buckets, all equal) against sorting, with a tiny copy limit.
// ThreadSanitizer makes this 20 times slower (two and a half minutes of the
// test command); a fifth of the rounds still covers every shape 16 times.
#if defined(__SANITIZE_THREAD__)
constexpr int kSelectRounds = 80;
#else
constexpr int kSelectRounds = 400;
#endif

TEST(SelectMiddle, EveryStepMatchesSorting) {
  std::uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int round = 0; round < kSelectRounds; ++round) {
    const std::size_t n = 1 + next() % 3000;
    const int shape = round % 5;
    std::vector<std::int64_t> v(n);
    for (auto& x : v) {
      const std::uint64_t r = next() >> 1;
      if (shape == 0) x = static_cast<std::int64_t>(next());                                               // full range
      if (shape == 1) x = static_cast<std::int64_t>(r % 5) - 2;                                            // few values
      if (shape == 2) x = r % 2 ? std::numeric_limits<std::int64_t>::min() : INT64_C(0x7fffffffffffffff);  // two ends
      if (shape == 3) x = r % 3 ? INT64_C(1) << 40 : static_cast<std::int64_t>(next());  // heavy value
      if (shape == 4) x = 77;                                                            // all equal
    }
    std::vector<std::int64_t> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t k = (n - 1) / 2;
    const bool two = n % 2 == 0;
    const Int128 expected = Int128{sorted[k]} + Int128{sorted[two ? k + 1 : k]};
    for (const std::size_t held : {std::size_t{1}, std::size_t{4}, std::size_t{100}, kMaxHeldValues}) {
      const Int128 got = select_middle(VectorSource{v}, n, sorted.front(), sorted.back(), k, two, held);
      EXPECT_TRUE(got == expected) << "round " << round << " shape " << shape << " n " << n << " held " << held;
    }
  }
}

}  // namespace
}  // namespace edgehub::data
