// The cost of one counter update (docs/BENCHMARKS.md#metrics-scrape-cost):
// THREADS threads add to the same metrics::Counter (sharded) and, for
// comparison, to one shared std::atomic. Prints ns per add for each.
//   metrics_inc [THREADS] [ADDS_PER_THREAD]
#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "common/metrics/metrics.hpp"

namespace {

double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// CPU time per add, averaged over the threads (each thread's own CPU time:
// other processes on the machine do not count).
template <class Add>
double ns_per_add(int threads, long adds, Add add) {
  std::atomic<double> cpu{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      const double start = thread_cpu_ns();
      for (long i = 0; i < adds; ++i) add();
      cpu.fetch_add(thread_cpu_ns() - start);
    });
  for (auto& t : pool) t.join();
  return cpu.load() / static_cast<double>(adds) / threads;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const long adds = argc > 2 ? std::atol(argv[2]) : 50'000'000;
  edgehub::metrics::Counter counter;
  std::atomic<std::uint64_t> shared{0};
  const double sharded = ns_per_add(threads, adds, [&] { counter.inc(); });
  const double single = ns_per_add(threads, adds, [&] { shared.fetch_add(1, std::memory_order_relaxed); });
  std::printf("RESULT threads=%d adds=%ld counter_ns=%.2f one_atomic_ns=%.2f total=%llu\n", threads, adds, sharded,
              single, static_cast<unsigned long long>(counter.value() + shared.load()));
  return 0;
}
