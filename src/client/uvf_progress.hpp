#pragma once
// One progress line for every UVF transfer running in the background, in
// both directions ("UVF a.bin to bob", or "UVF 3 transfers" with their sums),
// drawn by ProgressBar (a status line on a terminal, progress events with
// --json, nothing in batch mode). Used on the client's I/O thread only.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "client/output.hpp"
#include "client/progress_bar.hpp"

namespace edgehub::client {

class UvfProgress {
 public:
  explicit UvfProgress(Output& out) : out_(out) {}

  // key identifies a transfer; label says what it is ("a.bin to bob").
  void update(const std::string& key, const std::string& label, std::uint64_t done, std::uint64_t total);
  void remove(const std::string& key);

 private:
  struct Entry {
    std::string label;
    std::uint64_t done = 0, total = 0;
  };
  void redraw();

  Output& out_;
  std::map<std::string, Entry> transfers_;
  std::unique_ptr<ProgressBar> bar_;
  std::string bar_label_;
};

}  // namespace edgehub::client
