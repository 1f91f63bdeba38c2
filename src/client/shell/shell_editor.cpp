#include "client/shell/shell_editor.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <stdexcept>

#include "client/shell/shell_completion.hpp"
#include "client/shell/shell_history.hpp"
#include "client/shell/shell_text.hpp"

namespace edgehub::client {

ShellEditor::ShellEditor(Output& out, const WakePipe& wake, const ShellHooks& hooks)
    : out_(out), wake_(wake), hooks_(hooks) {
  el_ = el_init("edgehub", stdin, stdout, stderr);
  history_ = history_init();
  if (el_ == nullptr || history_ == nullptr) throw std::runtime_error("cannot start the line editor");
  HistEvent event;
  history(history_, &event, H_SETSIZE, static_cast<int>(kHistoryLimit));
  history(history_, &event, H_SETUNIQUE, 1);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_SIGNAL, 0);  // TerminalSignals handles them, without touching libedit from a handler
  el_set(el_, EL_HIST, history, history_);
  el_set(el_, EL_PROMPT, prompt_hook);
  el_set(el_, EL_GETCFN, key_hook);
  // While editing, Ctrl-C and Ctrl-Z arrive as keys (bound below), not as signals.
  el_set(el_, EL_SETTY, "-d", "-isig", nullptr);
  bind_keys();
  el_source(el_, nullptr);  // the user's ~/.editrc may change any of this
}

ShellEditor::~ShellEditor() {
  el_end(el_);  // also puts the terminal back
  history_end(history_);
}

void ShellEditor::bind_keys() {
  el_set(el_, EL_ADDFN, "edgehub-complete", "complete a command, device or file name", complete_hook);
  el_set(el_, EL_ADDFN, "edgehub-interrupt", "abandon the line being typed", interrupt_hook);
  el_set(el_, EL_ADDFN, "edgehub-suspend", "suspend the client", suspend_hook);
  el_set(el_, EL_BIND, "^I", "edgehub-complete", nullptr);
  el_set(el_, EL_BIND, "^C", "edgehub-interrupt", nullptr);
  el_set(el_, EL_BIND, "^Z", "edgehub-suspend", nullptr);
  // What readline users expect on top of libedit's emacs keys.
  el_set(el_, EL_BIND, "^R", "em-inc-search-prev", nullptr);
  el_set(el_, EL_BIND, "^W", "ed-delete-prev-word", nullptr);
  el_set(el_, EL_BIND, "\\e[3~", "ed-delete-next-char", nullptr);
  for (const char* home : {"\\e[H", "\\e[1~", "\\e[7~", "\\eOH"}) el_set(el_, EL_BIND, home, "ed-move-to-beg", nullptr);
  for (const char* end : {"\\e[F", "\\e[4~", "\\e[8~", "\\eOF"}) el_set(el_, EL_BIND, end, "ed-move-to-end", nullptr);
  el_set(el_, EL_BIND, "\\e[1;5C", "em-next-word", nullptr);
  el_set(el_, EL_BIND, "\\e[1;5D", "ed-prev-word", nullptr);
}

ShellEditor& ShellEditor::self(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return *static_cast<ShellEditor*>(data);
}

namespace {

// libedit is C: no exception may cross it. A hook that fails reports an
// error to libedit (read error / beep) instead.
template <typename R, typename F>
R no_throw(R on_error, F&& f) noexcept {
  try {
    return f();
  } catch (...) {
    return on_error;
  }
}

}  // namespace

int ShellEditor::key_hook(EditLine* el, wchar_t* key) {
  return no_throw(-1, [&] { return self(el).next_key(key); });
}
char* ShellEditor::prompt_hook(EditLine* el) { return self(el).prompt_.data(); }
unsigned char ShellEditor::complete_hook(EditLine* el, int) {
  return no_throw<unsigned char>(CC_ERROR, [&] { return self(el).complete(); });
}
unsigned char ShellEditor::interrupt_hook(EditLine* el, int) {
  return no_throw<unsigned char>(CC_ERROR, [&] { return self(el).interrupt(); });
}
unsigned char ShellEditor::suspend_hook(EditLine* el, int) {
  return no_throw<unsigned char>(CC_ERROR, [&] { return self(el).suspend(); });
}

std::optional<std::string> ShellEditor::read(const std::string& prompt, bool completion) {
  prompt_ = prompt;
  prompt_width_ = display_width(prompt);
  completion_ = completion;
  connection_lost_ = false;
  status_shown_ = out_.status();  // Output::begin_prompt took it from the row the prompt now starts on
  if (!status_shown_.empty()) write_to_terminal(status_shown_ + "\r\n");
  int count = 0;
  const char* line = el_gets(el_, &count);
  if (line == nullptr || count <= 0) {
    // Leave what was typed on screen and the cursor on a fresh line.
    write_to_terminal(erase_sequence() + prompt_ + current_line() + "\n");
    status_shown_.clear();
    return std::nullopt;
  }
  std::string text(line, static_cast<std::size_t>(count));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

void ShellEditor::add_history(const std::string& line) {
  HistEvent event;
  history(history_, &event, H_ENTER, line.c_str());
}

// libedit's getc: the only place the editor waits.
int ShellEditor::next_key(wchar_t* key) {
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_.read_fd(), POLLIN, 0}};
    const int ready = ::poll(fds, 2, kLivenessCheckMs);
    if (ready < 0 && errno != EINTR) return -1;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) handle_wake();
    if (hooks_.connection_open && !hooks_.connection_open()) {
      connection_lost_ = true;
      return 0;  // end of input
    }
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) return read_key(key);
  }
}

// One character, decoded from UTF-8 (the rest of a character's bytes are
// already on their way, so reading them may block briefly).
int ShellEditor::read_key(wchar_t* key) {
  for (;;) {
    char byte = 0;
    const ssize_t n = ::read(STDIN_FILENO, &byte, 1);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    const std::size_t used = std::mbrtowc(key, &byte, 1, &key_state_);
    if (used == static_cast<std::size_t>(-2)) continue;
    if (used == static_cast<std::size_t>(-1)) {
      key_state_ = std::mbstate_t{};  // not UTF-8: dropped
      continue;
    }
    // The line is entered: a status line above it would stay behind in the
    // scrollback, stale; Output draws it below the command's output instead.
    if (*key == L'\r' || *key == L'\n') drop_status();
    return 1;
  }
}

void ShellEditor::handle_wake() {
  const std::string why = wake_.drain();
  const bool resumed = why.find(kWakeResume) != std::string::npos;
  const bool resized = why.find(kWakeResize) != std::string::npos;
  if (resumed) {  // after a stop the shell may have changed the terminal modes
    el_set(el_, EL_PREP_TERM, 0);
    el_set(el_, EL_PREP_TERM, 1);
  }
  if (resized) el_resize(el_);
  const auto lines = out_.take_queued();
  if (!lines.empty() || resumed || resized || out_.status() != status_shown_) print_above(lines, erase_sequence());
}

// Clears the prompt and the text typed so far (from the cursor's row up),
// prints lines where they were, and lets libedit draw them again below.
void ShellEditor::print_above(const std::vector<std::string>& lines, const std::string& erase) {
  std::string text = erase;
  for (const auto& line : lines) {
    for (const char c : line) {
      if (c == '\n') text += '\r';  // the terminal is raw: no newline translation
      text += c;
    }
    text += "\r\n";
  }
  status_shown_ = out_.status();
  if (!status_shown_.empty()) text += status_shown_ + "\r\n";
  write_to_terminal(text);
  el_set(el_, EL_REFRESH);  // assumes the cursor at the start of its area: it is
}

void ShellEditor::drop_status() {
  if (status_shown_.empty()) return;
  const std::string erase = erase_sequence();
  status_shown_.clear();
  write_to_terminal(erase);
  el_set(el_, EL_REFRESH);
}

// Back to the first row of the prompt (or of the status line above it),
// then clear to the end of the screen.
std::string ShellEditor::erase_sequence() const {
  const LineInfoW* line = el_wline(el_);
  const int row =
      (prompt_width_ + display_width(line->buffer, line->cursor)) / columns() + (status_shown_.empty() ? 0 : 1);
  std::string text = "\r";
  if (row > 0) text += "\033[" + std::to_string(row) + "A";
  return text + "\033[J";
}

std::string ShellEditor::current_line() const {
  const LineInfo* line = el_line(el_);
  return std::string(line->buffer, static_cast<std::size_t>(line->lastchar - line->buffer));
}

int ShellEditor::columns() const {
  int cols = 0;
  if (el_get(el_, EL_GETTC, "co", &cols, nullptr) != 0 || cols <= 0) cols = 80;
  return cols;
}

void ShellEditor::clear_line() {
  const LineInfoW* line = el_wline(el_);
  el_cursor(el_, static_cast<int>(line->lastchar - line->cursor));
  line = el_wline(el_);
  el_deletestr(el_, static_cast<int>(line->cursor - line->buffer));
}

void ShellEditor::replace_word(const std::string& old_word, const std::string& new_word) {
  el_deletestr(el_, char_count(old_word));
  el_insertstr(el_, new_word.c_str());
}

std::vector<std::string> ShellEditor::candidates(const CompletionRequest& request, bool fresh) const {
  switch (request.target) {
    case CompletionTarget::Command:
      return hooks_.command_words ? hooks_.command_words() : std::vector<std::string>{};
    case CompletionTarget::User:
      return hooks_.user_names ? hooks_.user_names(fresh) : std::vector<std::string>{};
    case CompletionTarget::LocalFile:
      return local_file_candidates(request.prefix);
    case CompletionTarget::RepoFile:
      return hooks_.repo_files ? hooks_.repo_files(fresh) : std::vector<std::string>{};
    case CompletionTarget::None:
      break;
  }
  return {};
}

// TAB: one match is completed (with a space after it), several are
// completed as far as they agree, and listed above the prompt when they
// agree no further.
unsigned char ShellEditor::complete() {
  if (!completion_) return CC_ERROR;
  const LineInfo* line = el_line(el_);
  const auto request =
      analyse_completion(std::string_view(line->buffer, static_cast<std::size_t>(line->cursor - line->buffer)));
  const bool ignore_case = request.target == CompletionTarget::Command;
  auto result = complete_word(request.prefix, candidates(request, false), ignore_case);
  // Device and repository names come from a cache: someone may have logged
  // in or uploaded since.
  const bool cached = request.target == CompletionTarget::User || request.target == CompletionTarget::RepoFile;
  if (result.matches.empty() && cached) result = complete_word(request.prefix, candidates(request, true), ignore_case);
  if (result.matches.empty()) return CC_ERROR;  // a beep
  if (result.matches.size() == 1) {
    const auto& match = result.matches.front();
    replace_word(request.prefix, match.ends_with('/') ? match : match + " ");
    return CC_REFRESH;
  }
  if (result.common.size() > request.prefix.size()) {
    replace_word(request.prefix, result.common);
    return CC_REFRESH;
  }
  print_above(format_columns(result.matches, columns()), erase_sequence());
  return CC_NORM;
}

// Ctrl-C: the line stays on screen marked ^C, and a fresh prompt follows.
unsigned char ShellEditor::interrupt() {
  const std::string erase = erase_sequence();
  const std::string shown = prompt_ + current_line() + "^C";
  clear_line();
  print_above({shown}, erase);
  return CC_NORM;
}

// Ctrl-Z: suspend like any program; on `fg` the line comes back as it was.
unsigned char ShellEditor::suspend() {
  write_to_terminal(erase_sequence() + prompt_ + current_line() + "^Z\r\n");
  status_shown_.clear();
  el_set(el_, EL_PREP_TERM, 0);
  std::raise(SIGTSTP);  // returns once continued
  el_set(el_, EL_PREP_TERM, 1);
  el_set(el_, EL_REFRESH);
  return CC_NORM;
}

}  // namespace edgehub::client
