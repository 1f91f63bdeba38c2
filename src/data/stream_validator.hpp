#pragma once
// Validates "one integer per line" content fed in arbitrary chunks (split
// anywhere, even inside a number) and accumulates exact statistics on the
// way, so an upload is checked and summarised in the same single pass.
//
// Thread use: one instance per upload, one thread at a time.
//
//   StreamValidator v;
//   while (auto chunk = next_block()) if (!v.feed(chunk)) break;   // stop early on bad content
//   if (v.finish()) store(v.stats()); else refuse(v.error()->message());
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "data/line_check.hpp"
#include "data/stats.hpp"

namespace edgehub::data {

struct LineError {
  std::uint64_t line = 0;  // 1-based
  std::string reason;      // describe(LineCheck)
  std::string message() const { return "line " + std::to_string(line) + ": " + reason; }
};

class StreamValidator {
 public:
  // Returns false once the content is known to be bad (further feeds are
  // ignored). Holds at most max_pending_line bytes between calls.
  bool feed(std::string_view chunk);
  // End of content: judges a last line without '\n'. True when all is valid.
  bool finish();

  bool failed() const { return error_.has_value(); }
  const std::optional<LineError>& error() const { return error_; }
  // The values accepted so far; after a successful finish(), all of them.
  const Stats& stats() const { return stats_; }
  std::uint64_t bytes_fed() const { return bytes_fed_; }

 private:
  const char* complete_pending(const char* p, const char* end);
  bool keep_pending(const char* p, const char* end);
  void accept(const LineCheck& check);
  std::string_view pending() const { return {pending_.data(), pending_size_}; }

  Stats stats_;
  std::optional<LineError> error_;
  std::uint64_t bytes_fed_ = 0;
  std::array<char, max_pending_line + 1> pending_{};  // start of a line split across chunks
  std::size_t pending_size_ = 0;
};

}  // namespace edgehub::data
