#pragma once
// Counters, gauges and histograms for the server's /metrics
// (docs/METRICS.md#how-the-numbers-are-kept). Updates are the hot path:
// relaxed atomic adds only, no lock, no allocation, no string work. A
// counter or gauge is split into cache-line-sized shards, one per thread
// slot, so that two network threads counting the same thing never bounce
// one cache line between their cores; reading sums the shards. Metrics are
// created at start-up through the Registry (registry.hpp) and live as long
// as the process, so a pointer to one may be kept anywhere.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgehub::metrics {

inline constexpr std::size_t kShards = 8;

// This thread's shard, assigned round-robin on its first update.
std::size_t shard_slot() noexcept;

namespace detail {
struct alignas(64) Cell {
  std::atomic<std::uint64_t> value{0};
};
}  // namespace detail

// Only goes up.
class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { cells_[shard_slot()].value.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept {
    std::uint64_t sum = 0;
    for (const auto& cell : cells_) sum += cell.value.load(std::memory_order_relaxed);
    return sum;
  }

 private:
  std::array<detail::Cell, kShards> cells_;
};

// Goes up and down (open connections, queue depth). Shards wrap around
// independently; their sum, read as signed, is the gauge's value.
class Gauge {
 public:
  void add(std::int64_t n = 1) noexcept {
    cells_[shard_slot()].value.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
  }
  void sub(std::int64_t n = 1) noexcept { add(-n); }
  std::int64_t value() const noexcept {
    std::uint64_t sum = 0;
    for (const auto& cell : cells_) sum += cell.value.load(std::memory_order_relaxed);
    return static_cast<std::int64_t>(sum);
  }

 private:
  std::array<detail::Cell, kShards> cells_;
};

// Fixed buckets, chosen at registration. Observations are counted in the
// first bucket whose upper bound holds them (the text format's cumulative
// counts are made when rendering); the sum is kept in integer units of
// `unit` (1e-6 for microseconds), so that adding it is one fetch_add.
class Histogram {
 public:
  Histogram(std::vector<double> bounds, double unit);
  // `units` of the histogram's unit: 250 with unit 1e-6 is 250 µs.
  void observe(std::uint64_t units) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    std::uint64_t count = 0;
    double sum = 0;  // in the base unit (seconds)
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;       // increasing, in the base unit
  std::vector<std::uint64_t> caps_;  // the bounds in `unit`s
  double unit_;
  std::vector<detail::Cell> buckets_;  // bounds_.size() + 1 (+Inf)
  detail::Cell sum_;
};

}  // namespace edgehub::metrics
