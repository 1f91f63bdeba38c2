#include "protocol/command_help.hpp"

#include <gtest/gtest.h>

namespace edgehub::protocol {
namespace {

TEST(CommandHelp, UsageTextAliasesAndExample) {
  const CommandHelp help{.name = "message",
                         .usage = "message USER TEXT",
                         .text = "send TEXT to USER; kept until their next login if offline",
                         .aliases = {"msg"},
                         .example = "message bob see you at 5"};
  EXPECT_EQ(command_help_summary("message"), "Help for message");
  EXPECT_EQ(
      command_help_lines(help),
      (std::vector<std::string>{"Usage: message USER TEXT", "send TEXT to USER; kept until their next login if offline",
                                "Aliases: msg", "Example: message bob see you at 5"}));
}

TEST(CommandHelp, BeforeLoginOnlyIsSaidAndNoAliasLineWithoutAliases) {
  const CommandHelp help{.name = "notify",
                         .usage = "notify on|off",
                         .text = "presence events or not",
                         .example = "notify off",
                         .before_login_only = true};
  EXPECT_EQ(command_help_lines(help), (std::vector<std::string>{"Usage: notify on|off", "presence events or not",
                                                                "Only before logging in", "Example: notify off"}));
}

}  // namespace
}  // namespace edgehub::protocol
