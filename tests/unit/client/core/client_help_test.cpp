// What `help` shows (docs/CLIENT.md#help).
#include "client/core/client_help.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace edgehub::client {
namespace {

// A help line as the hub writes it (hub/core/basic_handlers.cpp).
std::string server_line(std::string_view usage, std::string_view help) { return fmt::format("{:<34} {}", usage, help); }

bool has_line_starting(const std::vector<std::string>& lines, std::string_view start) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(start); });
}

TEST(ClientHelp, EveryClientCommandHasATextAndAnExampleThatUsesIt) {
  const auto table = build_client_commands();
  for (const auto& command : table.all()) {
    const ClientHelpText* help = client_help_text(command.name);
    ASSERT_NE(help, nullptr) << command.name << " has no entry in client/core/client_help.cpp";
    EXPECT_FALSE(help->text.empty()) << command.name;
    EXPECT_TRUE(help->example.starts_with(command.name + " ") || help->example == command.name) << help->example;
  }
}

TEST(ClientHelp, ClientCommandsShowWhatAPersonTypesInTheServersColumn) {
  const auto table = build_client_commands();
  const std::vector<std::string> server{
      server_line("UED FILEID SIZE SHA256", "upload (wire)"),
      server_line("uvf USER SIZE FILE", "authorise (wire)"),
      server_line("message USER TEXT", "send USER a message") + " (aliases: msg)",
      server_line("get NAME [OFFSET [LENGTH|- [SHA256]]]", "download (wire)"),
  };
  const auto lines = client_help_list(server, table);
  EXPECT_EQ(lines[0], server_line("UED FILEID", client_help_text("UED")->text));
  EXPECT_EQ(lines[1], server_line("UVF USER FILE", client_help_text("UVF")->text));
  EXPECT_EQ(lines[2], server[2]);  // the server's own command: its usage is what a person types
  EXPECT_EQ(lines[3], server_line("get NAME [-f]", client_help_text("get")->text));
}

TEST(ClientHelp, ClientOnlyCommandsAreAddedAndWireOnlyOnesLeftOut) {
  const auto table = build_client_commands();
  const std::vector<std::string> server{server_line("login NAME PASSWORD [UDPPORT]", "authenticate"),
                                        server_line("swarmget NAME[@ROOTPREFIX]", "the manifest"),
                                        server_line("echo TEXT", "the server answers TEXT ACK")};
  const auto lines = client_help_list(server, table);
  EXPECT_EQ(lines[0], server[2]);
  EXPECT_FALSE(has_line_starting(lines, "login "));
  EXPECT_FALSE(has_line_starting(lines, "swarmget "));
  EXPECT_TRUE(has_line_starting(lines, "EDG FILEID COUNT "));
  EXPECT_TRUE(has_line_starting(lines, "private USER TEXT "));
  EXPECT_TRUE(has_line_starting(lines, "p2pDownload "));
  EXPECT_TRUE(has_line_starting(lines, server_line("help [COMMAND]", client_help_text("help")->text)));
}

TEST(ClientHelp, AClientOnlyCommandIsListedAfterItsRelative) {
  const auto table = build_client_commands();
  const std::vector<std::string> server{
      server_line("put NAME SIZE SHA256 [replace]", "upload"), server_line("UED FILEID SIZE SHA256", "upload"),
      server_line("accept USER PORT TOKEN", "accept"), server_line("decline USER", "refuse")};
  const auto lines = client_help_list(server, table);
  ASSERT_GE(lines.size(), 6u);
  EXPECT_TRUE(lines[0].starts_with("put PATH [-f] "));
  EXPECT_TRUE(lines[1].starts_with("EDG FILEID COUNT ")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("UED FILEID "));
  EXPECT_TRUE(lines[3].starts_with("accept USER "));
  EXPECT_TRUE(lines[4].starts_with("private USER TEXT ")) << lines[4];
  EXPECT_EQ(lines[5], server[3]);
}

TEST(ClientHelp, OneClientCommandIsExplainedWithItsExample) {
  const auto table = build_client_commands();
  const auto help = protocol::command_help_lines(client_command_help(*table.find("share")));
  EXPECT_EQ(help, (std::vector<std::string>{"Usage: share FILE", std::string(client_help_text("share")->text),
                                            "Aliases: register", "Example: share firmware.bin"}));
}

}  // namespace
}  // namespace edgehub::client
