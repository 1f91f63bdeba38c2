#include "data/answer.hpp"

#include <cassert>

#include "data/median.hpp"
#include "data/stats_format.hpp"

namespace edgehub::data {

std::optional<std::string> value_from_stats(Operation op, const Stats& s) {
  switch (op) {
    case Operation::count:
      return std::to_string(s.count);
    case Operation::sum:
      return to_decimal(s.sum);
    case Operation::median:
      assert(false && "MEDIAN needs the values");
      return std::nullopt;
    default:
      break;
  }
  if (s.empty()) return std::nullopt;
  switch (op) {
    case Operation::min:
      return std::to_string(s.min);
    case Operation::max:
      return std::to_string(s.max);
    case Operation::average:
      return format_average(s.sum, s.count);
    case Operation::stddev:
      return format_stddev(s);
    default:
      return std::nullopt;
  }
}

std::string format_answer(FileId id, Operation op, const std::string& value) {
  return "file " + id.str() + ": " + std::string(operation_name(op)) + " = " + value;
}

std::string format_undefined(FileId id, Operation op) {
  return "file " + id.str() + " holds no values: " + std::string(operation_name(op)) + " is undefined";
}

std::string answer_from_stats(FileId id, Operation op, const Stats& s) {
  const auto value = value_from_stats(op, s);
  return value ? format_answer(id, op, *value) : format_undefined(id, op);
}

Outcome<std::string> answer_median(FileId id, const std::filesystem::path& stored_file) {
  const auto median = median_of_file(stored_file);
  if (!median) return Failure{median.error()};
  if (median->count == 0) return format_undefined(id, Operation::median);
  return format_answer(id, Operation::median, format_half(median->twice));
}

}  // namespace edgehub::data
