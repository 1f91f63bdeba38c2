#include "client/core/client_commands.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "client/core/command_registry.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

void ClientCommandTable::add(ClientCommand command) {
  // Every word is checked before any is claimed, so a refused entry leaves
  // the table as it was.
  std::vector<std::string> words{to_lower(command.name)};
  for (const auto& alias : command.aliases) words.push_back(to_lower(alias));
  for (auto word = words.begin(); word != words.end(); ++word) {
    const bool repeated = std::find(words.begin(), word, *word) != word;
    if (repeated || index_.contains(*word)) throw std::logic_error("duplicate client command word: " + *word);
  }
  const std::size_t pos = commands_.size();
  for (auto& word : words) index_.emplace(std::move(word), pos);
  commands_.push_back(std::move(command));
}

const ClientCommand* ClientCommandTable::find(std::string_view verb) const {
  const auto it = index_.find(to_lower(verb));
  return it == index_.end() ? nullptr : &commands_[it->second];
}

std::vector<std::string> ClientCommandTable::words() const {
  std::vector<std::string> out;
  for (const auto& c : commands_) out.push_back(c.name);
  return out;
}

std::optional<ClientArgs> split_client_args(const ClientCommand& command, std::string_view rest) {
  const bool takes_rest = command.rest_of_line && command.max_args > 0;
  ClientArgs args = split_words(rest, takes_rest ? command.max_args : kAnyArgCount);
  if (args.size() < command.min_args || args.size() > command.max_args) return std::nullopt;
  return args;
}

std::string usage_error(const ClientCommand& command) { return fmt::format("Usage: {}", command.usage); }

namespace {

// A server help line is the usage padded to a fixed column, one space, then
// the help text (hub/core/basic_handlers.cpp). A short usage leaves a run of
// two or more spaces before the text, which gives the column; the smallest
// found is taken, since a run inside a help text can only come later.
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

// Where the usage ends: the first space at or after the column that is not
// inside [brackets]. That also finds the end of a usage wider than the column
// ("get NAME [OFFSET [LENGTH|- [SHA256]]]"), unless its part past the column
// holds a space outside brackets.
std::size_t usage_end(std::string_view line, std::size_t column) {
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '[')
      ++depth;
    else if (line[i] == ']')
      --depth;
    else if (line[i] == ' ' && i >= column && depth <= 0)
      return i;
  }
  return line.size();
}

std::string with_usage(std::string_view line, std::string_view usage, std::size_t column) {
  const auto end = usage_end(line, column);
  if (end >= line.size()) return std::string(usage);  // a usage and no help text
  return fmt::format("{:<{}} {}", usage, column, line.substr(end + 1));
}

}  // namespace

std::vector<std::string> help_with_client_usages(const std::vector<std::string>& server_lines,
                                                 const ClientCommandTable& table) {
  const auto column = usage_column(server_lines);
  if (!column) return server_lines;
  std::vector<std::string> lines;
  lines.reserve(server_lines.size());
  for (const auto& line : server_lines) {
    const ClientCommand* local = table.find(split_first_word(line).first);
    lines.push_back(local != nullptr ? with_usage(line, local->usage, *column) : line);
  }
  return lines;
}

ClientCommandTable build_client_commands() {
  ClientCommandTable table;
  register_help_command(table);
  register_file_commands(table);
  register_edge_data_commands(table);
  register_messaging_commands(table);
  register_uvf_commands(table);
  register_swarm_commands(table);
  return table;
}

}  // namespace edgehub::client
