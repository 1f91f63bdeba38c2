#pragma once
// SCS operations. Names are case-insensitive on input, upper case on output.
#include <optional>
#include <string_view>

#include "data/outcome.hpp"

namespace edgehub::data {

enum class Operation { sum, average, max, min, count, median, stddev };

std::optional<Operation> parse_operation(std::string_view name);
// Same, with the user-facing errors "missing OP" / "unknown OP 'X' (expected ...)".
Outcome<Operation> parse_operation_arg(std::string_view name);

std::string_view operation_name(Operation op);

// MEDIAN needs the values themselves; every other operation is answered from
// the stored Stats in O(1).
inline bool needs_values(Operation op) { return op == Operation::median; }

}  // namespace edgehub::data
