#include "client/shell/progress_board.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "client/core/output.hpp"

namespace edgehub::client {
namespace {

using Clock = ProgressMeter::Clock;

ProgressBoard::Mode mode_for(const Output& out) {
  if (out.json()) return ProgressBoard::Mode::Json;
  return ::isatty(STDOUT_FILENO) != 0 ? ProgressBoard::Mode::Bar : ProgressBoard::Mode::Silent;
}

int terminal_width() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

ProgressBoard::ProgressBoard(Output& out) : ProgressBoard(out, mode_for(out), 0) {}

ProgressBoard::ProgressBoard(Output& out, Mode mode, int width) : out_(out), mode_(mode), width_(width) {}

ProgressBoard::Id ProgressBoard::add(std::string what, std::uint64_t total) {
  std::lock_guard lock(mutex_);
  const Id id = next_id_++;
  Entry& e = entries_[id];
  e.what = std::move(what);
  e.total = total;
  e.meter.update(0, Clock::now());
  if (mode_ == Mode::Json) emit_json(e);
  redraw(true);
  return id;
}

void ProgressBoard::update(Id id, std::uint64_t done, std::uint64_t total) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  e.done = done;
  if (total != 0) e.total = total;
  const bool due = e.meter.update(done, Clock::now());
  if (mode_ == Mode::Json && due) emit_json(e);
  redraw(false);
}

void ProgressBoard::remove(Id id, bool completed) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (completed) e.done = std::max(e.done, e.total);
  if (mode_ == Mode::Json) emit_json(e);
  entries_.erase(it);
  redraw(true);  // the line goes with the last transfer
}

std::size_t ProgressBoard::running() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void ProgressBoard::emit_json(const Entry& e) { out_.progress(e.what, e.done, e.total, e.meter.rate()); }

// At most ten times a second, except when a transfer starts or ends.
void ProgressBoard::redraw(bool force) {
  if (mode_ != Mode::Bar) return;
  const auto now = Clock::now();
  if (!force && last_draw_ && now - *last_draw_ < ProgressMeter::kRedrawEvery) return;
  last_draw_ = now;
  out_.set_status(entries_.empty() ? std::string() : line());
}

// One transfer as it is; several as their sums (rates add up).
std::string ProgressBoard::line() const {
  // One column spare: writing the last column makes some terminals wrap.
  const int width = width_ > 0 ? width_ : terminal_width() - 1;
  if (entries_.size() == 1) {
    const Entry& e = entries_.begin()->second;
    return render_progress(e.what, e.done, e.total, e.meter.rate(), width);
  }
  std::uint64_t done = 0, total = 0;
  double rate = 0;
  bool unknown = false;
  for (const auto& [id, e] : entries_) {
    done += e.done;
    total += e.total;
    rate += e.meter.rate();
    unknown = unknown || e.total == 0;
  }
  return render_progress(fmt::format("{} transfers", entries_.size()), done, unknown ? 0 : total, rate, width);
}

}  // namespace edgehub::client
