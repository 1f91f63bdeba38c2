#include "client/shell/progress_meter.hpp"

#include <gtest/gtest.h>

#include "client/shell/shell_text.hpp"

namespace edgehub::client {
namespace {

using namespace std::chrono_literals;

TEST(FormatBytes, Units) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(10 * 1024 * 1024), "10.0 MiB");
  EXPECT_EQ(format_bytes(3ull << 30), "3.0 GiB");
}

TEST(FormatDuration, MinutesHoursAndUnknown) {
  EXPECT_EQ(format_duration(4.4), "0:04");
  EXPECT_EQ(format_duration(62), "1:02");
  EXPECT_EQ(format_duration(3723), "1:02:03");
  EXPECT_EQ(format_duration(-1), "--:--");
  EXPECT_EQ(format_duration(1e9), "--:--");
}

TEST(RenderProgress, FullLineWithBarRateAndEta) {
  const auto line = render_progress("get big.iso", 5 * 1024 * 1024, 10 * 1024 * 1024, 1024 * 1024, 100);
  EXPECT_EQ(line, "get big.iso   50% [" + std::string(20, '#') + std::string(20, '.') +
                      "]  5.0 MiB/10.0 MiB  1.0 MiB/s  ETA 0:05");
  EXPECT_LE(display_width(line), 100);
}

TEST(RenderProgress, DropsPartsAsTheTerminalNarrows) {
  const std::string what = "get big.iso";
  for (int width = 10; width <= 120; ++width) {
    const auto line = render_progress(what, 1 << 20, 10 << 20, 1 << 20, width);
    EXPECT_LE(display_width(line), width) << width;
  }
  EXPECT_EQ(render_progress(what, 1 << 20, 10 << 20, 1 << 20, 46), "get big.iso   10%  1.0 MiB/10.0 MiB  1.0 MiB/s");
  EXPECT_EQ(render_progress(what, 1 << 20, 10 << 20, 1 << 20, 45), "get big.iso   10%  1.0 MiB/10.0 MiB");
  EXPECT_EQ(render_progress(what, 1 << 20, 10 << 20, 1 << 20, 12), "get big.iso");
}

TEST(RenderProgress, UnknownTotalAndNoRateYet) {
  EXPECT_EQ(render_progress("recv a", 2048, 0, 1024, 80), "recv a  2.0 KiB  1.0 KiB/s");
  const auto line = render_progress("get a", 0, 100, 0, 80);
  EXPECT_NE(line.find("  0%"), std::string::npos);
  EXPECT_EQ(line.find("ETA"), std::string::npos);
}

TEST(ProgressMeter, RedrawsAtMostTenTimesASecond) {
  ProgressMeter meter;
  const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
  int draws = 0;
  for (int ms = 0; ms < 1000; ms += 5)
    draws += meter.update(static_cast<std::uint64_t>(ms), t0 + std::chrono::milliseconds(ms));
  EXPECT_EQ(draws, 10);
}

TEST(ProgressMeter, RateOverTheRecentWindow) {
  ProgressMeter meter;
  const auto t0 = ProgressMeter::Clock::time_point{} + 1h;
  EXPECT_EQ(meter.rate(), 0.0);
  // 1 MB/s for 10 s, then 4 MB/s for 5 s: the rate follows the recent pace.
  std::uint64_t done = 0;
  for (int i = 1; i <= 100; ++i) meter.update(done += 100'000, t0 + i * 100ms);
  EXPECT_NEAR(meter.rate(), 1e6, 1e4);
  for (int i = 101; i <= 150; ++i) meter.update(done += 400'000, t0 + i * 100ms);
  EXPECT_NEAR(meter.rate(), 4e6, 4e4);
}

}  // namespace
}  // namespace edgehub::client
