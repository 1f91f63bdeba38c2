#include "common/time_format.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <string>

namespace edgehub {
namespace {

// format_log_time uses the server's local time zone; pin it to UTC here.
class TimeFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_)
      setenv("TZ", saved_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

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

}  // namespace
}  // namespace edgehub
