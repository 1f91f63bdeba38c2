#include "common/time_format.hpp"

#include <ctime>

namespace edgehub {

namespace {

std::tm broken_down(SystemTime t, bool utc) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  if (utc)
    gmtime_r(&secs, &parts);
  else
    localtime_r(&secs, &parts);
  return parts;
}

}  // namespace

std::string format_log_time(SystemTime t) {
  const std::tm local = broken_down(t, false);
  char buf[64];
  return std::string(buf, std::strftime(buf, sizeof buf, "%d %B %Y %H:%M:%S", &local));
}

std::string format_iso_utc(SystemTime t) {
  const std::tm utc = broken_down(t, true);
  char buf[32];
  return std::string(buf, std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc));
}

std::optional<SystemTime> parse_iso_utc(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  const auto number = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  using namespace std::chrono;
  const year_month_day day{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                           std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!day.ok() || number(11, 2) > 23 || number(14, 2) > 59 || number(17, 2) > 60) return std::nullopt;
  return sys_days{day} + hours{number(11, 2)} + minutes{number(14, 2)} + seconds{number(17, 2)};
}

}  // namespace edgehub
