#pragma once
// One progress line for every UVF transfer running in the background, in
// both directions ("UVF a.bin to bob", or "UVF 3 transfers" with their sums),
// drawn by ProgressBar (a status line on a terminal, progress events with
// --json, nothing in batch mode). The status line is hidden while the shell
// waits at its prompt, which is most of the time for a background transfer,
// so on a terminal a large transfer also prints a line at each quarter
// ("UVF a.bin to bob: 50% of 2.0 GiB"), shown above the prompt. Used on the
// client's I/O thread only.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "client/core/output.hpp"
#include "client/shell/progress_bar.hpp"

namespace edgehub::client {

class UvfProgress {
 public:
  explicit UvfProgress(Output& out);

  // key identifies a transfer; label says what it is ("a.bin to bob").
  void update(const std::string& key, const std::string& label, std::uint64_t done, std::uint64_t total);
  void remove(const std::string& key);

 private:
  struct Entry {
    std::string label;
    std::uint64_t done = 0, total = 0;
    int quarters = 0;  // milestones already printed
  };
  void redraw();
  void milestone(Entry& e);

  Output& out_;
  const bool terminal_;
  std::map<std::string, Entry> transfers_;
  std::unique_ptr<ProgressBar> bar_;
  std::string bar_label_;
};

}  // namespace edgehub::client
