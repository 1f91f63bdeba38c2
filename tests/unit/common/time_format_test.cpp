#include "common/time_format.hpp"

#include <gtest/gtest.h>

#include "unit/common/utc_time_zone.hpp"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <string>

namespace edgehub {
namespace {

// format_log_time uses the server's local time zone; pinned to UTC here.
using TimeFormat = testing::UtcTimeZone;

TEST_F(TimeFormat, SpecExample) {
  // 30 September 2022 10:31:13 UTC
  const auto t = std::chrono::system_clock::from_time_t(1664533873);
  EXPECT_EQ(format_log_time(t), "30 September 2022 10:31:13");
}

TEST_F(TimeFormat, DayIsZeroPaddedAndSubSecondsDropped) {
  const auto t = std::chrono::system_clock::from_time_t(1704067200) + std::chrono::milliseconds(999);  // 2024-01-01
  EXPECT_EQ(format_log_time(t), "01 January 2024 00:00:00");
}

TEST_F(TimeFormat, ShapeOfNow) {
  const std::regex shape(R"(\d{2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}:\d{2})");
  EXPECT_TRUE(std::regex_match(format_log_time(std::chrono::system_clock::now()), shape));
}

TEST(IsoUtc, FormatsAndParsesWholeSeconds) {
  const SystemTime t = std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + std::chrono::hours{13} +
                       std::chrono::minutes{56} + std::chrono::seconds{28};
  EXPECT_EQ(format_iso_utc(t), "2026-12-04T13:56:28Z");
  EXPECT_EQ(format_iso_utc(t + std::chrono::milliseconds{999}), "2026-12-04T13:56:28Z");
  EXPECT_EQ(parse_iso_utc("2026-12-04T13:56:28Z"), t);
}

TEST(IsoUtc, ParsesOnlyTheExactForm) {
  for (const char* bad : {"", "2026-12-04 13:56:28Z", "2026-12-04T13:56:28", "2026-13-04T13:56:28Z",
                          "2026-02-30T13:56:28Z", "2026-12-04T24:00:00Z", "x026-12-04T13:56:28Z"})
    EXPECT_EQ(parse_iso_utc(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace edgehub
