#pragma once
// An example line for every server command, in its wire form, for
// "help COMMAND" (docs/PROTOCOL.md#7-core-commands). Kept in one table
// rather than in each feature's register function so the examples read as
// a set; tests/unit/hub/core/command_help_test.cpp checks that every
// command in the real table has one.
#include <string_view>

namespace edgehub::hub {

// The example for a command's name (as registered, e.g. "AED"); "" if none.
std::string_view command_example(std::string_view name);

}  // namespace edgehub::hub
