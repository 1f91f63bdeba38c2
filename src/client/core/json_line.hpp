#pragma once
// One JSON value as one line, with numbers as a person or any JSON parser
// expects them: Boost.JSON 1.81 writes every double in exponent form
// ("0E0", "1.3631488E6"), which some tools (jq's older versions, shell
// scripts grepping for a number) read badly. Here a double is written in
// its shortest plain form ("0", "1363148.8"), and integers as integers
// (docs/CLIENT.md#json-output---json).
#include <boost/json/value.hpp>
#include <string>

namespace edgehub::client {

std::string json_line(const boost::json::value& value);

}  // namespace edgehub::client
