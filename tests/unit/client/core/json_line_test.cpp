// --json numbers are plain JSON numbers (docs/CLIENT.md#json-output---json).
#include "client/core/json_line.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace edgehub::client {
namespace {

namespace json = boost::json;

TEST(JsonLine, DoublesArePlainNumbers) {
  EXPECT_EQ(json_line(json::object{{"a", 0.0}, {"b", 1363148.8}, {"c", 1.5}, {"d", 2.0}, {"e", 0.001}}),
            R"({"a":0,"b":1363148.8,"c":1.5,"d":2,"e":0.001})");
}

TEST(JsonLine, IntegersStringsAndNestingAsBoostWritesThem) {
  const json::value v = json::object{{"type", "x\"y\n"},
                                     {"n", std::uint64_t{18446744073709551615u}},
                                     {"list", json::array{1, -2, true, nullptr, json::object{{"r", 0.5}}}}};
  EXPECT_EQ(json_line(v), R"({"type":"x\"y\n","n":18446744073709551615,"list":[1,-2,true,null,{"r":0.5}]})");
}

TEST(JsonLine, NotANumberIsNull) {
  EXPECT_EQ(json_line(json::array{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}),
            "[null,null]");
}

}  // namespace
}  // namespace edgehub::client
