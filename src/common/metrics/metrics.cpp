#include "common/metrics/metrics.hpp"

#include <cmath>
#include <stdexcept>

namespace edgehub::metrics {

std::size_t shard_slot() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t slot = next.fetch_add(1, std::memory_order_relaxed) % kShards;
  return slot;
}

Histogram::Histogram(std::vector<double> bounds, double unit)
    : bounds_(std::move(bounds)), unit_(unit), buckets_(bounds_.size() + 1) {
  if (unit_ <= 0) throw std::logic_error("histogram unit must be positive");
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (i > 0 && bounds_[i] <= bounds_[i - 1]) throw std::logic_error("histogram bounds must increase");
    caps_.push_back(static_cast<std::uint64_t>(std::llround(bounds_[i] / unit_)));
  }
}

void Histogram::observe(std::uint64_t units) noexcept {
  std::size_t i = 0;
  while (i < caps_.size() && units > caps_[i]) ++i;
  buckets_[i].value.fetch_add(1, std::memory_order_relaxed);
  sum_.value.fetch_add(units, std::memory_order_relaxed);
}

// Buckets are read one by one while others observe: a scrape may see an
// observation in its bucket and not yet in the sum, which Prometheus
// tolerates; the count is taken from the buckets so that +Inf == count.
Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  std::uint64_t running = 0;
  for (const auto& bucket : buckets_) {
    running += bucket.value.load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = static_cast<double>(sum_.value.load(std::memory_order_relaxed)) * unit_;
  return s;
}

}  // namespace edgehub::metrics
