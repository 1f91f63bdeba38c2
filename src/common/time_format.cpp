#include "common/time_format.hpp"

#include <ctime>

namespace edgehub {

std::string format_log_time(SystemTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&secs, &local);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%d %B %Y %H:%M:%S", &local);
  return std::string(buf, n);
}

}  // namespace edgehub
