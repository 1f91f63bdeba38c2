#include "client/core/client_help.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::client {
namespace {

// One entry per client command; the unit test that builds the real table
// checks that none is missing (tests/unit/client/core/client_help_test.cpp).
constexpr std::array<ClientHelpText, 17> kTexts{{
    {"help", "this list, or one command explained with an example", "help UVF"},
    {"status", "the last N connections since start-up (50 unless given), under how many there are in all", "status 10"},
    {"get",
     "download NAME from the repository into this directory (in the background at a terminal); a part left by an "
     "earlier get is resumed; -f replaces a local file of the same name",
     "get firmware.bin"},
    {"put", "upload PATH to the repository; -f replaces a file of the same name", "put notes.txt"},
    {"EDG", "write COUNT random values to YOURNAME-FILEID.txt in this directory (nothing is sent)", "EDG f1 100",
     "put"},
    {"UED", "upload YOURNAME-FILEID.txt (written by EDG) to the server, for SCS and DTE", "UED f1"},
    {"startprivate", "ask USER for a private session: messages go straight between you, end-to-end encrypted",
     "startprivate bob"},
    {"accept", "accept USER's private session request", "accept alice"},
    {"private", "send TEXT to USER over your private session (straight, not through the server)",
     "private bob see you at 5", "accept"},
    {"stopprivate", "end the private session with USER", "stopprivate bob"},
    {"verify", "the verification code of your private session with USER: compare it with USER over another channel",
     "verify bob", "stopprivate"},
    {"UVF", "send FILE straight to USER over UDP, in the background", "UVF bob notes.txt"},
    {"share", "offer FILE from this directory to the swarm (its chunks are hashed first)", "share firmware.bin"},
    {"unshare", "stop offering FILE to the swarm", "unshare firmware.bin"},
    {"searchFile", "the versions of NAME that online devices hold, and who holds which chunks",
     "searchFile firmware.bin"},
    {"searchChunk", "who holds CHUNKS (such as 0-9,12) of NAME", "searchChunk firmware.bin 0-9,12"},
    {"p2pDownload", "download NAME from every device that holds some of it, in the background; resumes",
     "p2pDownload firmware.bin", "searchChunk"},
}};

constexpr std::array<std::string_view, 6> kClientOnlyWire{"login",    "resume",     "notify",
                                                          "swarmget", "swarmpeers", "have"};

// The server's column for help texts (hub/core/basic_handlers.cpp pads the
// usage to it): found from the first run of two or more spaces in its lines,
// the smallest, since a run inside a help text can only come later.
std::optional<std::size_t> usage_column(const std::vector<std::string>& lines) {
  std::optional<std::size_t> column;
  for (const auto& line : lines) {
    const auto gap = line.find("  ");
    if (gap == std::string::npos) continue;
    const auto text = line.find_first_not_of(' ', gap);
    if (text != std::string::npos && (!column || text - 1 < *column)) column = text - 1;
  }
  return column;
}

std::string aliases_suffix(const std::vector<std::string>& aliases) {
  std::string out;
  for (const auto& a : aliases) out += (out.empty() ? " (aliases: " : ", ") + a;
  return out.empty() ? out : out + ")";
}

std::string client_line(const ClientCommand& command, std::size_t column) {
  const ClientHelpText* help = client_help_text(command.name);
  const std::string_view text = help != nullptr ? help->text : std::string_view();
  return fmt::format("{:<{}} {}{}", command.usage, column, text, aliases_suffix(command.aliases));
}

// The client's own commands the server's list lacks (EDG, private...).
std::vector<const ClientCommand*> missing_from(const std::vector<std::string>& server_lines,
                                               const ClientCommandTable& table) {
  std::vector<const ClientCommand*> listed;
  for (const auto& line : server_lines)
    if (const ClientCommand* local = table.find(split_first_word(line).first)) listed.push_back(local);
  std::vector<const ClientCommand*> missing;
  for (const auto& command : table.all())
    if (std::find(listed.begin(), listed.end(), &command) == listed.end()) missing.push_back(&command);
  return missing;
}

// Moves the lines of the extra commands listed after anchor (all that are
// left, for nullptr) to the end of lines.
void move_listed_after(const ClientCommand* anchor, std::vector<const ClientCommand*>& extra,
                       const ClientCommandTable& table, std::size_t column, std::vector<std::string>& lines) {
  const auto belongs_here = [&](const ClientCommand* command) {
    if (anchor == nullptr) return true;
    const ClientHelpText* help = client_help_text(command->name);
    return help != nullptr && !help->listed_after.empty() && table.find(help->listed_after) == anchor;
  };
  for (const ClientCommand* command : extra)
    if (belongs_here(command)) lines.push_back(client_line(*command, column));
  std::erase_if(extra, belongs_here);
}

}  // namespace

const ClientHelpText* client_help_text(std::string_view name) {
  const auto it = std::find_if(kTexts.begin(), kTexts.end(), [&](const ClientHelpText& t) { return t.name == name; });
  return it == kTexts.end() ? nullptr : &*it;
}

bool sent_by_the_client_only(std::string_view server_command) {
  const std::string word = to_lower(server_command);
  return std::find(kClientOnlyWire.begin(), kClientOnlyWire.end(), word) != kClientOnlyWire.end();
}

std::vector<std::string> client_help_list(const std::vector<std::string>& server_lines,
                                          const ClientCommandTable& table) {
  constexpr std::size_t kDefaultColumn = 34;  // the server's, when no line shows it
  const std::size_t column = usage_column(server_lines).value_or(kDefaultColumn);
  auto extra = missing_from(server_lines, table);
  std::vector<std::string> lines;
  for (const auto& line : server_lines) {
    const std::string_view word = split_first_word(line).first;
    if (sent_by_the_client_only(word)) continue;
    const ClientCommand* local = table.find(word);
    if (local == nullptr) {
      lines.push_back(line);
      continue;
    }
    lines.push_back(client_line(*local, column));
    move_listed_after(local, extra, table, column, lines);
  }
  move_listed_after(nullptr, extra, table, column, lines);  // the rest, at the end
  return lines;
}

protocol::CommandHelp client_command_help(const ClientCommand& command) {
  const ClientHelpText* help = client_help_text(command.name);
  return {.name = command.name,
          .usage = command.usage,
          .text = help != nullptr ? help->text : std::string_view(),
          .aliases = command.aliases,
          .example = help != nullptr ? help->example : std::string_view()};
}

}  // namespace edgehub::client
