#include "client/shell/progress_meter.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "client/shell/shell_text.hpp"

namespace edgehub::client {
namespace {

constexpr auto kRateWindow = std::chrono::seconds(3);
constexpr auto kSampleEvery = std::chrono::milliseconds(50);
constexpr int kMinBar = 10;

// The text cut to at most width columns, whole characters only.
std::string fit(const std::string& text, int width) {
  if (display_width(text) <= width) return text;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t next = i + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (display_width(out + text.substr(i, next - i)) > width) break;
    out += text.substr(i, next - i);
    i = next;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string bar(double fraction, int width) {
  const int filled = static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * width));
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(width - filled), '.') + "]";
}

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
  static constexpr std::array kUnits{"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 359999) return "--:--";
  const auto total = static_cast<std::uint64_t>(std::llround(seconds));
  if (total >= 3600) return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

std::string render_progress(std::string_view what, std::uint64_t done, std::uint64_t total, double rate, int width) {
  const std::string rate_text = rate > 0 ? format_bytes(static_cast<std::uint64_t>(rate)) + "/s" : "";
  if (total == 0) return fit(fmt::format("{}  {}  {}", what, format_bytes(done), rate_text), width);
  const double fraction = static_cast<double>(std::min(done, total)) / static_cast<double>(total);
  const std::string head = fmt::format("{}  {:3}%", what, static_cast<int>(fraction * 100));
  const std::string sizes = fmt::format("{}/{}", format_bytes(done), format_bytes(total));
  const std::string eta =
      rate > 0 ? "ETA " + format_duration(static_cast<double>(total - std::min(done, total)) / rate) : "";
  // Most useful first: drop the bar, then the ETA, then the rate.
  const std::array tails{fmt::format("  {}  {}  {}", sizes, rate_text, eta), fmt::format("  {}  {}", sizes, rate_text),
                         "  " + sizes};
  for (const auto& tail : tails) {
    const int bar_width = width - display_width(head) - display_width(tail) - 3;
    if (bar_width >= kMinBar) return head + " " + bar(fraction, std::min(bar_width, 40)) + tail;
    if (display_width(head + tail) <= width) return head + tail;
  }
  return fit(head, width);
}

bool ProgressMeter::update(std::uint64_t done, Clock::time_point now) {
  // Samples at least kSampleEvery apart, over the last kRateWindow.
  if (samples_.size() >= 2 && now - samples_[samples_.size() - 2].first < kSampleEvery)
    samples_.back() = {now, done};
  else
    samples_.emplace_back(now, done);
  while (samples_.size() > 2 && now - samples_[1].first >= kRateWindow) samples_.pop_front();
  if (last_draw_ && now - *last_draw_ < kRedrawEvery) return false;
  last_draw_ = now;
  return true;
}

double ProgressMeter::rate() const {
  if (samples_.size() < 2) return 0;
  const std::chrono::duration<double> elapsed = samples_.back().first - samples_.front().first;
  if (elapsed.count() <= 0 || samples_.back().second < samples_.front().second) return 0;
  return static_cast<double>(samples_.back().second - samples_.front().second) / elapsed.count();
}

}  // namespace edgehub::client
