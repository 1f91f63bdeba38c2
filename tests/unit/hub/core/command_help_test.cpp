// "help COMMAND" (docs/PROTOCOL.md#7-core-commands): every server command
// has an example, written as a person types it at nc.
#include <gtest/gtest.h>

#include "common/strings.hpp"
#include "hub/core/command_examples.hpp"
#include "hub/core/commands.hpp"

namespace edgehub::hub {
namespace {

TEST(CommandExamples, EveryCommandHasOneThatStartsWithItsName) {
  const CommandTable table = build_command_table();
  for (const auto& spec : table.all()) {
    const std::string_view example = command_example(spec.name);
    EXPECT_FALSE(example.empty()) << spec.name << " has no example in hub/core/command_examples.cpp";
    EXPECT_EQ(split_first_word(example).first, spec.name) << example;
    const std::size_t words = split_words(example, SIZE_MAX).size() - 1;
    EXPECT_GE(words, spec.min_args) << example;
  }
}

TEST(CommandExamples, UnknownNamesHaveNone) { EXPECT_EQ(command_example("nosuchcommand"), ""); }

}  // namespace
}  // namespace edgehub::hub
