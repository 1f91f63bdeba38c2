#pragma once
// The progress of the UVF transfers running in the background, in both
// directions: one ProgressBar each ("UVF a.bin to bob", "UVF a.bin from
// alice"), all drawn on the client's one status line (client/shell/progress_board.hpp;
// docs/UDP.md#11-uvf-user-file-in-the-client). A transfer reports only
// between begin() and end(): the endpoint keeps reporting a received file
// while it lingers to repeat its confirmation, and such a late report must
// not bring a finished bar back. Used on the client's I/O thread only.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "client/core/output.hpp"
#include "client/shell/progress_bar.hpp"

namespace edgehub::client {

class UvfProgress {
 public:
  explicit UvfProgress(Output& out) : out_(out) {}

  // key identifies a transfer; label says what it is ("a.bin to bob").
  void begin(const std::string& key, const std::string& label, std::uint64_t total);
  void update(const std::string& key, std::uint64_t done);
  // ok: the file arrived whole (the last --json event says 100%).
  void end(const std::string& key, bool ok);

 private:
  Output& out_;
  std::map<std::string, std::unique_ptr<ProgressBar>> bars_;
};

}  // namespace edgehub::client
