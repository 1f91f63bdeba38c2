#include "client/shell/shell_history.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>

#include "common/strings.hpp"

namespace edgehub::client {
namespace {

bool write_all(int fd, const std::string& text) {
  return ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// Replaces the file by one holding lines, created 0600 from the start (the
// history holds message texts) and renamed into place.
void rewrite_private(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::string content;
  for (const auto& l : lines) content += l + "\n";
  const std::string tmp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const bool ok = write_all(fd, content) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace

std::optional<std::filesystem::path> default_history_path() {
  if (const char* explicit_path = std::getenv("EDGEHUB_HISTORY")) {
    if (*explicit_path == '\0') return std::nullopt;
    return std::filesystem::path(explicit_path);
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return std::nullopt;
  return std::filesystem::path(home) / ".edgehub_history";
}

bool worth_remembering(std::string_view line) {
  const auto [verb, rest] = split_first_word(trim(line));
  return !verb.empty() && !iequals(verb, "login") && !iequals(verb, "resume");
}

std::vector<std::string> HistoryFile::load() {
  if (!path_) return {};
  std::ifstream in(*path_);
  std::deque<std::string> newest;
  std::size_t total = 0;
  for (std::string line; std::getline(in, line); ++total) {
    newest.push_back(std::move(line));
    if (newest.size() > limit_) newest.pop_front();
  }
  std::vector<std::string> lines(newest.begin(), newest.end());
  // Cut the file back; a line another client appends meanwhile may be lost.
  if (total >= 2 * limit_ && limit_ > 0) rewrite_private(*path_, lines);
  if (!lines.empty()) last_ = lines.back();
  return lines;
}

void HistoryFile::append(const std::string& line) {
  if (!path_ || line == last_ || line.find('\n') != std::string::npos) return;
  last_ = line;
  const int fd = ::open(path_->c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  write_all(fd, line + "\n");  // one write: lines of concurrent clients never interleave
  ::close(fd);
}

}  // namespace edgehub::client
