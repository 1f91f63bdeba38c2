#include "client/shell/progress_bar.hpp"

namespace edgehub::client {

ProgressBar::ProgressBar(Output& out, std::string what, std::uint64_t total)
    : board_(out.progress_board()), id_(board_.add(std::move(what), total)) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::uint64_t done) {
  done_ = done;
  board_.update(id_, done);
}

void ProgressBar::set_total(std::uint64_t total) { board_.update(id_, done_, total); }

void ProgressBar::complete() {
  if (finished_) return;
  finished_ = true;
  board_.remove(id_, true);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  board_.remove(id_, false);
}

}  // namespace edgehub::client
