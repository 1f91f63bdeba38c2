#pragma once
// The text SCS answers with. Values are bare decimals (see stats_format.hpp);
// sentences wrap them for people:
//
//   "file 7: SUM = 12345"
//   "file 7 holds no values: AVERAGE is undefined"   (COUNT and SUM of an empty file are 0)
#include <filesystem>
#include <optional>
#include <string>

#include "data/file_id.hpp"
#include "data/operation.hpp"
#include "data/outcome.hpp"
#include "data/stats.hpp"

namespace edgehub::data {

// The bare value of a stored-statistics operation, nullopt when it is
// undefined (an empty file). Must not be called with MEDIAN (needs_values).
std::optional<std::string> value_from_stats(Operation op, const Stats& s);

// "file 7: OP = value".
std::string format_answer(FileId id, Operation op, const std::string& value);
// "file 7 holds no values: OP is undefined".
std::string format_undefined(FileId id, Operation op);

// Both in one for the O(1) operations.
std::string answer_from_stats(FileId id, Operation op, const Stats& s);

// MEDIAN: reads the stored file (median.hpp). Fails only when the file
// cannot be read or is no longer valid.
Outcome<std::string> answer_median(FileId id, const std::filesystem::path& stored_file);

}  // namespace edgehub::data
