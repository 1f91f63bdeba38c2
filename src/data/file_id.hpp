#pragma once
// FILEID rules (EDG, UED, SCS, DTE): a non-negative decimal integer of at
// most 18 digits (0 .. 999999999999999999). Leading zeros are accepted and
// dropped, so "007" and "7" name the same file. The canonical decimal form is
// what appears in file names and log lines; being digits only, it can never
// escape a directory or clash with a temporary file.
#include <cstdint>
#include <string>
#include <string_view>

#include "data/outcome.hpp"

namespace edgehub::data {

class FileId {
 public:
  static constexpr std::uint64_t max_value = 999'999'999'999'999'999ULL;

  explicit FileId(std::uint64_t v) : value_(v) {}
  std::uint64_t value() const { return value_; }
  std::string str() const { return std::to_string(value_); }
  friend bool operator==(FileId, FileId) = default;

 private:
  std::uint64_t value_;
};

// Errors: "missing FILEID", "FILEID must not be negative", ...
Outcome<FileId> parse_file_id(std::string_view text);

// "NAME-FILEID.txt": the client's file and the server's stored copy.
std::string data_file_name(std::string_view device_name, FileId id);

}  // namespace edgehub::data
