#include "data/operation.hpp"

#include <array>
#include <string>
#include <utility>

#include "common/strings.hpp"

namespace edgehub::data {

namespace {

constexpr std::array<std::pair<std::string_view, Operation>, 7> names = {{
    {"SUM", Operation::sum},
    {"AVERAGE", Operation::average},
    {"MAX", Operation::max},
    {"MIN", Operation::min},
    {"COUNT", Operation::count},
    {"MEDIAN", Operation::median},
    {"STDDEV", Operation::stddev},
}};

}  // namespace

std::optional<Operation> parse_operation(std::string_view name) {
  for (const auto& [text, op] : names) {
    if (iequals(text, name)) return op;
  }
  return std::nullopt;
}

Outcome<Operation> parse_operation_arg(std::string_view name) {
  if (name.empty()) return Failure{"missing OP (expected SUM, AVERAGE, MAX, MIN, COUNT, MEDIAN or STDDEV)"};
  if (auto op = parse_operation(name)) return *op;
  const std::string shown(name.substr(0, 32));
  return Failure{"unknown OP '" + shown + "' (expected SUM, AVERAGE, MAX, MIN, COUNT, MEDIAN or STDDEV)"};
}

std::string_view operation_name(Operation op) {
  for (const auto& [text, candidate] : names) {
    if (candidate == op) return text;
  }
  return "?";
}

}  // namespace edgehub::data
