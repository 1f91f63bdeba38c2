#include "hub/core/command_table.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "common/strings.hpp"
#include "hub/core/commands.hpp"

namespace edgehub::hub {
namespace {

boost::asio::awaitable<void> nothing(CommandContext&) { co_return; }

CommandSpec spec(std::string name, std::vector<std::string> aliases = {}) {
  return CommandSpec{std::move(name), std::move(aliases), 0, 0, Access::LoggedIn, "usage", "help", nothing};
}

TEST(CommandTable, FindsByNameAndAliasIgnoringCase) {
  CommandTable t;
  t.add(spec("AED", {"whoelse", "who"}));
  t.add(spec("OUT", {"logout", "exit", "quit"}));
  for (const char* word : {"AED", "aed", "aEd", "WHOELSE", "whoElse", "who", "WHO"}) {
    const CommandSpec* s = t.find(word);
    ASSERT_NE(s, nullptr) << word;
    EXPECT_EQ(s->name, "AED") << word;
  }
  for (const char* word : {"out", "Logout", "EXIT", "quit"}) {
    const CommandSpec* s = t.find(word);
    ASSERT_NE(s, nullptr) << word;
    EXPECT_EQ(s->name, "OUT") << word;
  }
}

TEST(CommandTable, UnknownWordIsNull) {
  CommandTable t;
  t.add(spec("AED", {"who"}));
  EXPECT_EQ(t.find("whoelse"), nullptr);
  EXPECT_EQ(t.find(""), nullptr);
  EXPECT_EQ(t.find("AED "), nullptr);
}

TEST(CommandTable, DuplicateNameRejected) {
  CommandTable t;
  t.add(spec("echo"));
  EXPECT_THROW(t.add(spec("ECHO")), std::logic_error);
}

TEST(CommandTable, AliasClashingWithANameRejected) {
  CommandTable t;
  t.add(spec("status"));
  EXPECT_THROW(t.add(spec("who", {"Status"})), std::logic_error);
  EXPECT_THROW(t.add(spec("x", {"y", "Y"})), std::logic_error);
}

TEST(CommandTable, AllKeepsRegistrationOrder) {
  CommandTable t;
  t.add(spec("b"));
  t.add(spec("a"));
  ASSERT_EQ(t.all().size(), 2u);
  EXPECT_EQ(t.all()[0].name, "b");
  EXPECT_EQ(t.all()[1].name, "a");
}

// The real table: every feature's commands coexist (no clashes throw), and
// the documented names and aliases (docs/PROTOCOL.md#7-core-commands and
// the feature pages) are all there.
TEST(CommandTable, RealTableHasTheSpecCommands) {
  const CommandTable t = build_command_table();
  const std::vector<std::pair<const char*, const char*>> expected = {
      {"AED", "AED"},       {"whoelse", "AED"}, {"who", "AED"},    {"whoelsesince", "whoelsesince"},
      {"status", "status"}, {"OUT", "OUT"},     {"logout", "OUT"}, {"exit", "OUT"},
      {"quit", "OUT"},      {"login", "login"}, {"echo", "echo"},  {"help", "help"}};
  for (const auto& [word, name] : expected) {
    const CommandSpec* s = t.find(word);
    ASSERT_NE(s, nullptr) << word;
    EXPECT_EQ(s->name, name) << word;
    EXPECT_TRUE(s->handler) << word;
    EXPECT_FALSE(s->usage.empty()) << word;
    EXPECT_GE(s->max_args, s->min_args) << word;
  }
  EXPECT_EQ(t.find("login")->access, Access::LoggedOut);
  EXPECT_EQ(t.find("AED")->access, Access::LoggedIn);
  EXPECT_EQ(t.find("quit")->access, Access::Anyone);
}

}  // namespace
}  // namespace edgehub::hub
