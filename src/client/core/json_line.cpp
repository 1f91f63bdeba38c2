#include "client/core/json_line.hpp"

#include <boost/json/serialize.hpp>
#include <cmath>

#include <fmt/format.h>

namespace edgehub::client {
namespace {

namespace json = boost::json;

void append(std::string& out, const json::value& value);

void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  // Whole numbers as integers ("2", not "2.0"); others in fmt's shortest
  // round-trip form, which is plain for every magnitude a client prints.
  if (d == std::trunc(d) && std::fabs(d) < 1e15) {
    out += fmt::format("{}", static_cast<long long>(d));
    return;
  }
  out += fmt::format("{}", d);
}

void append_object(std::string& out, const json::object& object) {
  out += '{';
  bool first = true;
  for (const auto& [key, member] : object) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(json::string(key));
    out += ':';
    append(out, member);
  }
  out += '}';
}

void append_array(std::string& out, const json::array& array) {
  out += '[';
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i > 0) out += ',';
    append(out, array[i]);
  }
  out += ']';
}

void append(std::string& out, const json::value& value) {
  if (value.is_object()) return append_object(out, value.get_object());
  if (value.is_array()) return append_array(out, value.get_array());
  if (value.is_double()) return append_double(out, value.get_double());
  out += json::serialize(value);  // strings, integers, booleans, null
}

}  // namespace

std::string json_line(const boost::json::value& value) {
  std::string out;
  append(out, value);
  return out;
}

}  // namespace edgehub::client
