#include "client/p2p/uvf_progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>

namespace edgehub::client {

namespace {
constexpr std::uint64_t kMilestonesFrom = 16 << 20;  // smaller transfers end before anyone waits for news
}

UvfProgress::UvfProgress(Output& out) : out_(out), terminal_(!out.json() && ::isatty(STDOUT_FILENO) != 0) {}

void UvfProgress::update(const std::string& key, const std::string& label, std::uint64_t done, std::uint64_t total) {
  Entry& e = transfers_[key];
  e.label = label;
  e.done = done;
  e.total = total;
  milestone(e);
  redraw();
}

void UvfProgress::milestone(Entry& e) {
  if (!terminal_ || e.total < kMilestonesFrom) return;
  const int quarters = static_cast<int>(std::min<std::uint64_t>(e.done * 4 / e.total, 3));
  if (quarters <= e.quarters) return;
  e.quarters = quarters;
  out_.info("uvf_progress", fmt::format("UVF {}: {}% of {}", e.label, quarters * 25, format_bytes(e.total)));
}

void UvfProgress::remove(const std::string& key) {
  if (transfers_.erase(key) == 0) return;
  redraw();
}

void UvfProgress::redraw() {
  if (transfers_.empty()) {
    bar_.reset();  // removes the line
    bar_label_.clear();
    return;
  }
  std::uint64_t done = 0, total = 0;
  for (const auto& [key, e] : transfers_) {
    done += e.done;
    total += e.total;
  }
  const std::string label = transfers_.size() == 1 ? "UVF " + transfers_.begin()->second.label
                                                   : fmt::format("UVF {} transfers", transfers_.size());
  // A new set of transfers starts a new bar (its rate would mix them up).
  if (!bar_ || label != bar_label_) {
    bar_.reset();
    bar_ = std::make_unique<ProgressBar>(out_, label, total);
    bar_label_ = label;
  }
  bar_->set_total(total);
  bar_->update(done);
}

}  // namespace edgehub::client
