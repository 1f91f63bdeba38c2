#pragma once
// Pure helpers behind the shell's tab completion: which word the cursor is
// in and what kind of thing belongs there, which candidates fit, and how to
// read the server's `help`, `AED` and `list` replies. No terminal, no network.
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::client {

enum class CompletionTarget { None, Command, User, LocalFile, RepoFile };

struct CompletionRequest {
  CompletionTarget target = CompletionTarget::None;
  std::string prefix;  // the word being completed, up to the cursor
};

// text: the line up to the cursor. The first word is a command; the second
// word of message/msg/private/startprivate/stopprivate/verify/UVF/block/unblock is a
// device name; the second word of put/share/register and the third of UVF a
// local file; the name after get (and after its -f) a file in the repository.
CompletionRequest analyse_completion(std::string_view text);

struct CompletionResult {
  std::vector<std::string> matches;  // sorted, without duplicates
  std::string common;                // longest common prefix of the matches
};

// Commands match case-insensitively (the server looks them up that way);
// names and files exactly.
CompletionResult complete_word(std::string_view prefix, const std::vector<std::string>& candidates, bool ignore_case);

// Command words in a help reply: each line's first word and its
// "(aliases: a, b)".
// The file commands' overwrite flag (`get -f NAME`): -f or --replace.
bool is_replace_flag(std::string_view word);

std::vector<std::string> words_from_help(const std::vector<std::string>& lines);

// Device names in an AED reply ("bob, 127.0.0.1, 5001, active since ...").
std::vector<std::string> names_from_device_list(const std::vector<std::string>& lines);

// File names in a list reply ("may.pdf 1048576").
std::vector<std::string> names_from_file_list(const std::vector<std::string>& lines);

// Words laid out in columns (left to right) for a terminal width columns wide.
std::vector<std::string> format_columns(const std::vector<std::string>& words, int width);

}  // namespace edgehub::client
