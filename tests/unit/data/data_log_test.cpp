#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "data/data_log.hpp"

namespace edgehub::data {
namespace {

// format_log_time uses the server's local time: pin the zone for the test.
class DataLog : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz ? tz : "";
    had_tz_ = tz != nullptr;
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  void TearDown() override {
    if (had_tz_)
      ::setenv("TZ", saved_.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }

 private:
  std::string saved_;
  bool had_tz_ = false;
};

TEST_F(DataLog, ExactFormat) {
  using namespace std::chrono;
  // 30 September 2022 10:31:13 UTC
  const SystemTime when = sys_days{year{2022} / September / 30} + hours{10} + minutes{31} + seconds{13};
  EXPECT_EQ(format_data_log_line("supersmartwatch", when, FileId(7), 100),
            "supersmartwatch; 30 September 2022 10:31:13; 7; 100\n");
  const SystemTime early = sys_days{year{2023} / January / 5} + hours{3} + minutes{4} + seconds{5};
  EXPECT_EQ(format_data_log_line("cam", early, FileId(0), 0), "cam; 05 January 2023 03:04:05; 0; 0\n");
}

}  // namespace
}  // namespace edgehub::data
