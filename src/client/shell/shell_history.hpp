#pragma once
// The shell's history file (~/.edgehub_history): plain text, one command a
// line, mode 0600. Each command is appended as it is entered, so history
// survives a killed client and several clients sharing a home directory
// each add theirs; the file is cut back to the newest lines when it has
// grown to twice the limit. Failures are ignored: history is a convenience.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::client {

inline constexpr std::size_t kHistoryLimit = 1000;

// $EDGEHUB_HISTORY if set (empty: no history file), else $HOME/.edgehub_history.
std::optional<std::filesystem::path> default_history_path();

// Lines worth keeping: not blank, and not a command that carries a secret
// (login NAME PASSWORD, resume NAME TOKEN).
bool worth_remembering(std::string_view line);

class HistoryFile {
 public:
  HistoryFile(std::optional<std::filesystem::path> path, std::size_t limit) : path_(std::move(path)), limit_(limit) {}

  // The newest `limit` lines, oldest first.
  std::vector<std::string> load();
  void append(const std::string& line);

 private:
  std::optional<std::filesystem::path> path_;
  std::size_t limit_;
  std::string last_;  // a command repeated at once is stored once
};

}  // namespace edgehub::client
