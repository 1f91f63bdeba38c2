#pragma once
// Validation of "EDG FILEID COUNT" arguments on the client, with errors meant
// for the user as they are.
#include <cstdint>
#include <string_view>

#include "data/file_id.hpp"
#include "data/outcome.hpp"

namespace edgehub::data {

struct EdgRequest {
  FileId id;
  std::uint64_t count;  // 0 .. max_generate_count (0 writes an empty file)
};

// `args` is everything after the verb, e.g. "7 1000".
Outcome<EdgRequest> parse_edg_args(std::string_view args);

// COUNT alone: "COUNT must be a non-negative integer, got 'x'", ...
Outcome<std::uint64_t> parse_count(std::string_view text);

}  // namespace edgehub::data
