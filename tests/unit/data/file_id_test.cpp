#include <gtest/gtest.h>

#include "data/edg_args.hpp"
#include "data/file_id.hpp"
#include "data/generator.hpp"

namespace edgehub::data {
namespace {

TEST(FileId, AcceptsDigitsAndCanonicalises) {
  EXPECT_EQ(parse_file_id("7")->value(), 7u);
  EXPECT_EQ(parse_file_id("007")->str(), "7");
  EXPECT_EQ(parse_file_id("0")->str(), "0");
  EXPECT_EQ(parse_file_id("000")->str(), "0");
  EXPECT_EQ(parse_file_id("999999999999999999")->value(), FileId::max_value);
  EXPECT_EQ(parse_file_id("0000999999999999999999")->value(), FileId::max_value);
}

TEST(FileId, RefusesWithClearMessages) {
  EXPECT_EQ(parse_file_id("").error(), "missing FILEID");
  EXPECT_EQ(parse_file_id("-3").error(), "FILEID must not be negative");
  EXPECT_EQ(parse_file_id("abc").error(), "FILEID must be a non-negative integer, got 'abc'");
  EXPECT_EQ(parse_file_id("../x").error(), "FILEID must be a non-negative integer, got '../x'");
  EXPECT_EQ(parse_file_id("1.5").error(), "FILEID must be a non-negative integer, got '1.5'");
  EXPECT_EQ(parse_file_id("+1").error(), "FILEID must be a non-negative integer, got '+1'");
  EXPECT_EQ(parse_file_id("1000000000000000000").error(), "FILEID too large (at most 18 digits)");
  EXPECT_FALSE(parse_file_id("-"));
  EXPECT_FALSE(parse_file_id(" 1"));
}

TEST(FileId, DataFileName) {
  EXPECT_EQ(data_file_name("supersmartwatch", *parse_file_id("007")), "supersmartwatch-7.txt");
}

TEST(EdgArgs, ValidRequests) {
  const auto r = parse_edg_args("7 1000");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->id.value(), 7u);
  EXPECT_EQ(r->count, 1000u);
  EXPECT_EQ(parse_edg_args("  3\t0 ")->count, 0u);
  EXPECT_EQ(parse_edg_args("3 1000000000")->count, max_generate_count);
}

TEST(EdgArgs, Errors) {
  EXPECT_EQ(parse_edg_args("").error(), "Usage: EDG FILEID COUNT (FILEID and COUNT are missing)");
  EXPECT_EQ(parse_edg_args("7").error(), "Usage: EDG FILEID COUNT (COUNT is missing)");
  EXPECT_EQ(parse_edg_args("7 10 3").error(), "Usage: EDG FILEID COUNT (too many words)");
  EXPECT_EQ(parse_edg_args("x 10").error(), "FILEID must be a non-negative integer, got 'x'");
  EXPECT_EQ(parse_edg_args("-1 10").error(), "FILEID must not be negative");
  EXPECT_EQ(parse_edg_args("7 ten").error(), "COUNT must be a non-negative integer, got 'ten'");
  EXPECT_EQ(parse_edg_args("7 -5").error(), "COUNT must not be negative");
  EXPECT_EQ(parse_edg_args("7 1.5").error(), "COUNT must be a non-negative integer, got '1.5'");
  EXPECT_EQ(parse_edg_args("7 1000000001").error(), "COUNT too large (at most 1000000000)");
  EXPECT_EQ(parse_edg_args("7 99999999999999999999999").error(), "COUNT too large (at most 1000000000)");
}

}  // namespace
}  // namespace edgehub::data
