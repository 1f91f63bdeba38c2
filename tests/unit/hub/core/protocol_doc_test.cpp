// docs/PROTOCOL.md is the reference for nc users: every command's wire
// usage, exactly as the server's help and usage errors print it, is there.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "hub/core/commands.hpp"

namespace edgehub::hub {
namespace {

std::string read_doc(const std::string& relative) {
  std::ifstream in(std::string(EDGEHUB_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ProtocolDoc, ListsEveryCommandsWireUsage) {
  const std::string doc = read_doc("docs/PROTOCOL.md");
  ASSERT_FALSE(doc.empty()) << "docs/PROTOCOL.md not found under " << EDGEHUB_SOURCE_DIR;
  const CommandTable table = build_command_table();
  for (const auto& spec : table.all())
    EXPECT_NE(doc.find("`" + spec.usage + "`"), std::string::npos) << "docs/PROTOCOL.md lacks `" << spec.usage << "`";
}

}  // namespace
}  // namespace edgehub::hub
