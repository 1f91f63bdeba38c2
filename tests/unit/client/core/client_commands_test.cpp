#include "client/core/client_commands.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace edgehub::client {
namespace {

using Args = std::vector<std::string_view>;

void nothing(ClientApp&, const ClientArgs&) {}

ClientCommand command(std::string name, std::size_t min_args, std::size_t max_args, bool rest_of_line = false) {
  return {.name = std::move(name),
          .min_args = min_args,
          .max_args = max_args,
          .rest_of_line = rest_of_line,
          .usage = "x",
          .run = nothing};
}

TEST(ClientArgs, WordsWithinTheRangeAreArguments) {
  const auto one_or_two = command("c", 1, 2);
  EXPECT_EQ(split_client_args(one_or_two, "a"), Args{"a"});
  EXPECT_EQ(split_client_args(one_or_two, "  a   b "), (Args{"a", "b"}));
  EXPECT_EQ(split_client_args(command("c", 0, 0), "   "), Args{});
}

TEST(ClientArgs, TooFewOrTooManyWordsAreRefused) {
  const auto one_or_two = command("c", 1, 2);
  EXPECT_EQ(split_client_args(one_or_two, ""), std::nullopt);
  EXPECT_EQ(split_client_args(one_or_two, "a b c"), std::nullopt);
  EXPECT_EQ(split_client_args(command("c", 0, 0), "a"), std::nullopt);
}

TEST(ClientArgs, RestOfLineTakesSpacesAndCannotBeTooMany) {
  const auto user_text = command("c", 2, 2, true);
  EXPECT_EQ(split_client_args(user_text, "bob hello  there "), (Args{"bob", "hello  there"}));
  EXPECT_EQ(split_client_args(user_text, "bob"), std::nullopt);
  // max_args 0 takes nothing, rest of line or not.
  EXPECT_EQ(split_client_args(command("c", 0, 0, true), "a"), std::nullopt);
}

TEST(ClientArgs, AnyCountTakesEveryWord) {
  const auto many = command("c", 1, kAnyArgCount);
  EXPECT_EQ(split_client_args(many, "my file.txt -f"), (Args{"my", "file.txt", "-f"}));
  EXPECT_EQ(split_client_args(many, ""), std::nullopt);
}

TEST(ClientCommandTable, UsageErrorIsWordedLikeTheServers) {
  const auto table = build_client_commands();
  EXPECT_EQ(usage_error(*table.find("UVF")), "Usage: UVF USER FILE");
  EXPECT_EQ(usage_error(*table.find("private")), "Usage: private USER TEXT");
}

TEST(ClientCommandTable, TheRealEntriesCheckTheirArity) {
  const auto table = build_client_commands();
  EXPECT_EQ(split_client_args(*table.find("get"), "a b c"), std::nullopt);      // names have no spaces
  EXPECT_EQ(split_client_args(*table.find("get"), "a -f"), (Args{"a", "-f"}));  // "a b": get's own usage error
  EXPECT_EQ(split_client_args(*table.find("get"), ""), std::nullopt);
  EXPECT_EQ(split_client_args(*table.find("UVF"), "bob"), std::nullopt);
  EXPECT_EQ(split_client_args(*table.find("UVF"), "bob my file.bin"), (Args{"bob", "my file.bin"}));
  EXPECT_EQ(split_client_args(*table.find("EDG"), "7 10 11"), Args{"7 10 11"});  // data::parse_edg_args counts
  EXPECT_EQ(split_client_args(*table.find("accept"), "alice bob"), std::nullopt);
  EXPECT_EQ(split_client_args(*table.find("UED"), "1 2"), std::nullopt);
  EXPECT_EQ(split_client_args(*table.find("put"), "a b -f"), (Args{"a", "b", "-f"}));
}

TEST(ClientCommandTable, UsagesAreWhatAPersonTypes) {
  const auto table = build_client_commands();
  EXPECT_EQ(table.find("UED")->usage, "UED FILEID");
  EXPECT_EQ(table.find("put")->usage, "put PATH [-f]");
  EXPECT_EQ(table.find("get")->usage, "get NAME [-f]");
  EXPECT_EQ(table.find("UVF")->usage, "UVF USER FILE");
  EXPECT_EQ(table.find("accept")->usage, "accept USER");
}

TEST(ClientCommandTable, LookupIgnoresCaseForNamesAndAliases) {
  ClientCommandTable table;
  auto entry = command("UVF", 0, 0);
  entry.aliases = {"Send"};
  table.add(std::move(entry));
  for (const char* word : {"UVF", "uvf", "Uvf", "send", "SEND"}) {
    ASSERT_NE(table.find(word), nullptr) << word;
    EXPECT_EQ(table.find(word)->name, "UVF") << word;
  }
  EXPECT_EQ(table.find("uv"), nullptr);
  EXPECT_EQ(table.find(""), nullptr);
  EXPECT_EQ(build_client_commands().find("?")->name, "help");
}

TEST(ClientCommandTable, DuplicateWordsAreRefusedAndChangeNothing) {
  ClientCommandTable table;
  auto get = command("get", 0, 0);
  get.aliases = {"fetch"};
  table.add(std::move(get));
  EXPECT_THROW(table.add(command("GET", 0, 0)), std::logic_error);  // a name taken, in another case
  auto alias_taken = command("download", 0, 0);
  alias_taken.aliases = {"Fetch"};
  EXPECT_THROW(table.add(std::move(alias_taken)), std::logic_error);  // an alias taken
  auto twice = command("put", 0, 0);
  twice.aliases = {"up", "UP"};
  EXPECT_THROW(table.add(std::move(twice)), std::logic_error);  // one entry saying a word twice
  EXPECT_EQ(table.find("download"), nullptr);
  EXPECT_EQ(table.find("put"), nullptr);
  EXPECT_EQ(table.all().size(), 1u);
  table.add(command("put", 0, 0));  // the refused words are still free
  EXPECT_NE(table.find("put"), nullptr);
}

TEST(ClientCommandTable, TheRealTableBuildsWithoutDuplicates) { EXPECT_NO_THROW(build_client_commands()); }

}  // namespace
}  // namespace edgehub::client
