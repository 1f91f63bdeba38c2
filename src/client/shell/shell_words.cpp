#include "client/shell/shell_words.hpp"

#include <algorithm>
#include <array>

#include "common/strings.hpp"

namespace edgehub::client {
namespace {

constexpr std::array kUserCommands{"message", "msg", "private", "startprivate", "stopprivate",
                                   "verify",  "UVF", "block",   "unblock"};
constexpr std::array kFileCommands{"put", "share", "register"};

template <std::size_t N>
bool is_one_of(std::string_view word, const std::array<const char*, N>& list) {
  return std::any_of(list.begin(), list.end(), [&](const char* c) { return iequals(word, c); });
}

// Words separated by spaces; a trailing space starts a new, empty word.
std::vector<std::string> words_up_to_cursor(std::string_view text) {
  std::vector<std::string> words{std::string()};
  for (const char c : text) {
    if (c == ' ' || c == '\t') {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back().push_back(c);
    }
  }
  return words;
}

bool starts_with(std::string_view s, std::string_view prefix, bool ignore_case) {
  if (s.size() < prefix.size()) return false;
  return ignore_case ? iequals(s.substr(0, prefix.size()), prefix) : s.substr(0, prefix.size()) == prefix;
}

std::size_t common_length(std::string_view a, std::string_view b, bool ignore_case) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && (ignore_case ? iequals(a.substr(n, 1), b.substr(n, 1)) : a[n] == b[n])) ++n;
  return n;
}

}  // namespace

CompletionRequest analyse_completion(std::string_view text) {
  const auto words = words_up_to_cursor(text);
  CompletionRequest request{CompletionTarget::None, words.back()};
  if (words.size() == 1)
    request.target = CompletionTarget::Command;
  else if (words.size() == 2 && is_one_of(words[0], kUserCommands))
    request.target = CompletionTarget::User;
  else if (words.size() == 2 && is_one_of(words[0], kFileCommands))
    request.target = CompletionTarget::LocalFile;
  else if (words.size() == 3 && iequals(words[0], "UVF"))
    request.target = CompletionTarget::LocalFile;
  else if (iequals(words[0], "get") && (words.size() == 2 || (words.size() == 3 && is_replace_flag(words[1]))))
    request.target = CompletionTarget::RepoFile;
  return request;
}

CompletionResult complete_word(std::string_view prefix, const std::vector<std::string>& candidates, bool ignore_case) {
  CompletionResult result;
  for (const auto& c : candidates)
    if (!c.empty() && starts_with(c, prefix, ignore_case)) result.matches.push_back(c);
  std::sort(result.matches.begin(), result.matches.end());
  result.matches.erase(std::unique(result.matches.begin(), result.matches.end()), result.matches.end());
  if (result.matches.empty()) return result;
  std::size_t common = result.matches.front().size();
  for (const auto& m : result.matches) common = std::min(common, common_length(result.matches.front(), m, ignore_case));
  result.common = result.matches.front().substr(0, common);
  return result;
}

std::vector<std::string> words_from_help(const std::vector<std::string>& lines) {
  std::vector<std::string> words;
  for (const auto& line : lines) {
    const auto [first, rest] = split_first_word(line);
    if (!first.empty()) words.emplace_back(first);
    const auto open = line.rfind("(aliases: ");
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    const std::string_view list = std::string_view(line).substr(open + 10, close - open - 10);
    for (auto alias : split_words(list, list.size() + 1)) {
      while (!alias.empty() && alias.back() == ',') alias.remove_suffix(1);
      if (!alias.empty()) words.emplace_back(alias);
    }
  }
  return words;
}

std::vector<std::string> names_from_device_list(const std::vector<std::string>& lines) {
  std::vector<std::string> names;
  for (const auto& line : lines) {
    const auto name = trim(std::string_view(line).substr(0, line.find(',')));
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> names_from_file_list(const std::vector<std::string>& lines) {
  std::vector<std::string> names;
  for (const auto& line : lines) {
    const auto [name, size] = split_first_word(line);
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> format_columns(const std::vector<std::string>& words, int width) {
  std::size_t longest = 0;
  for (const auto& w : words) longest = std::max(longest, w.size());
  const std::size_t column = longest + 2;
  const std::size_t per_row = std::max<std::size_t>(1, static_cast<std::size_t>(std::max(width, 1)) / column);
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < words.size(); i += per_row) {
    std::string row;
    for (std::size_t j = i; j < std::min(words.size(), i + per_row); ++j) {
      row += words[j];
      if (j + 1 < std::min(words.size(), i + per_row)) row.append(column - words[j].size(), ' ');
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool is_replace_flag(std::string_view word) { return word == "-f" || word == "--replace"; }

}  // namespace edgehub::client
