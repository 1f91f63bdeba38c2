#pragma once
// Every transfer running in the client, on one line (docs/CLIENT.md#progress-bars).
// Transfers run on several threads at once (a `put` on the command thread, a
// background `get` on its own, UVF and p2pDownload on the I/O thread), but a
// terminal has room for one status line, so they all report here and the
// board draws one line: the transfer's own ("get a.iso  42% [###...]  ...")
// or, for several, their sums ("3 transfers  42% ..."). Output keeps that
// line below the printed lines, or above the prompt while one is edited.
// With --json each transfer has its own `progress` events instead: at most
// ten a second and always one at its end (done = total when it completed).
// Not on a terminal and without --json: nothing. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "client/shell/progress_meter.hpp"

namespace edgehub::client {

class Output;

class ProgressBoard {
 public:
  enum class Mode { Silent, Bar, Json };
  using Id = std::uint64_t;

  // The mode follows out: --json, else a bar if stdout is a terminal.
  explicit ProgressBoard(Output& out);
  ProgressBoard(Output& out, Mode mode, int width);  // tests: a fixed mode and width

  Id add(std::string what, std::uint64_t total);
  // total 0: unchanged. Unknown ids (already removed) are ignored, so a late
  // report cannot bring a finished transfer back.
  void update(Id id, std::uint64_t done, std::uint64_t total = 0);
  // completed: done is taken to be the total for the last JSON event.
  void remove(Id id, bool completed);
  std::size_t running() const;

 private:
  struct Entry {
    std::string what;
    std::uint64_t done = 0, total = 0;
    ProgressMeter meter;
  };
  void emit_json(const Entry& e);
  void redraw(bool force);  // with mutex_ held
  std::string line() const;

  Output& out_;
  const Mode mode_;
  const int width_;  // 0: the terminal's
  mutable std::mutex mutex_;
  std::map<Id, Entry> entries_;
  Id next_id_ = 1;
  std::optional<ProgressMeter::Clock::time_point> last_draw_;
};

}  // namespace edgehub::client
