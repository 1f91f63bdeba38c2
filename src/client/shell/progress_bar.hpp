#pragma once
// One transfer's progress (docs/CLIENT.md#progress-bars): a handle on the
// client's ProgressBoard, which draws every running transfer on one status
// line (or emits --json progress events). Create it when the transfer
// starts; complete() when it succeeded; the destructor ends it either way,
// so the line never outlives the transfer. Use it from one thread at a time.
#include <cstdint>
#include <string>

#include "client/core/output.hpp"
#include "client/shell/progress_board.hpp"
#include "client/shell/progress_meter.hpp"

namespace edgehub::client {

class ProgressBar {
 public:
  // what: shown first ("get big.iso"); total 0 if unknown.
  ProgressBar(Output& out, std::string what, std::uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t done);
  void set_total(std::uint64_t total);
  // The transfer succeeded: the last event says done = total.
  void complete();
  // Ends the transfer where it is (failed or cancelled). Called by the
  // destructor too.
  void finish();

 private:
  ProgressBoard& board_;
  ProgressBoard::Id id_;
  std::uint64_t done_ = 0;
  bool finished_ = false;
};

}  // namespace edgehub::client
