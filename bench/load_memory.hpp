#pragma once
// Resident memory of another process, read from /proc: VmRSS from status,
// Pss and Private_* from smaps_rollup (which count shared library pages
// once or not at all, so the difference between two samples is the
// process's own growth).
#include <sys/types.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace edgehub::bench {

struct MemorySample {
  bool valid = false;
  std::int64_t rss_kib = 0;
  std::int64_t pss_kib = 0;
  std::int64_t private_kib = 0;  // Private_Clean + Private_Dirty
};

namespace detail {
// Sums the "Key:   N kB" lines of a /proc file whose key is one of keys.
inline std::int64_t sum_kib(const std::string& path, std::initializer_list<std::string_view> keys, bool& found) {
  std::ifstream in(path);
  std::string line;
  std::int64_t total = 0;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view key(line.data(), colon);
    for (auto k : keys) {
      if (key != k) continue;
      std::istringstream value(line.substr(colon + 1));
      std::int64_t kib = 0;
      if (value >> kib) {
        total += kib;
        found = true;
      }
    }
  }
  return total;
}
}  // namespace detail

inline MemorySample sample_memory(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/";
  MemorySample s;
  bool rss = false, pss = false, priv = false;
  s.rss_kib = detail::sum_kib(dir + "status", {"VmRSS"}, rss);
  s.pss_kib = detail::sum_kib(dir + "smaps_rollup", {"Pss"}, pss);
  s.private_kib = detail::sum_kib(dir + "smaps_rollup", {"Private_Clean", "Private_Dirty"}, priv);
  s.valid = rss && pss && priv;
  return s;
}

// Bytes per connection between two samples, for one of the three figures.
inline double bytes_per(std::int64_t before_kib, std::int64_t after_kib, std::size_t connections) {
  if (connections == 0) return 0;
  return static_cast<double>(after_kib - before_kib) * 1024.0 / static_cast<double>(connections);
}

}  // namespace edgehub::bench
