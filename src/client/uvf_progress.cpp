#include "client/uvf_progress.hpp"

#include <fmt/format.h>

namespace edgehub::client {

void UvfProgress::update(const std::string& key, const std::string& label, std::uint64_t done, std::uint64_t total) {
  transfers_[key] = Entry{label, done, total};
  redraw();
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
