// Interactive mode on a terminal: line editing, history, tab completion, and
// notifications printed above the prompt without garbling it.
//
// Threads and the terminal (why there is no data race):
// - The command thread calls read_line(). It marks the prompt active in
//   Output (under Output's mutex), runs the libedit editor, and marks it
//   inactive again. Only this thread ever touches libedit, the history and
//   the completion cache.
// - Any other thread (the server link's I/O thread, a transfer) prints via
//   Output. While the prompt is active, Output only queues the line and
//   writes a byte to the wake pipe; it never writes to the terminal. The
//   editor, waiting in poll() on the terminal and the pipe, takes the queue
//   and prints it above the prompt itself, then redraws.
// - When no prompt is active (a command is running), Output prints at once,
//   under its mutex, and the editor is not running.
// - Signal handlers only write a byte to the wake pipe, or restore the
//   terminal settings and re-raise (see shell_terminal.hpp).
// So at any moment exactly one party writes to the terminal, and the state
// deciding which (Output::prompt_active_) is guarded by Output's mutex.
#include <cstdio>

#include "client/core/line_source.hpp"
#include "client/shell/shell_editor.hpp"
#include "client/shell/shell_history.hpp"
#include "client/shell/shell_secret.hpp"
#include "client/shell/shell_terminal.hpp"
#include "client/shell/shell_text.hpp"

namespace edgehub::client {
namespace {

// "Username: " and other questions end in ": "; command prompts in "> ".
// Answers to questions are neither completed nor kept in the history.
bool is_question(const std::string& prompt) { return prompt.size() >= 2 && prompt.ends_with(": "); }

class InteractiveSource final : public LineSource {
 public:
  explicit InteractiveSource(Output& out)
      : out_(out), signals_(wake_), editor_(out, wake_, hooks_), history_(default_history_path(), kHistoryLimit) {
    for (const auto& line : history_.load()) editor_.add_history(line);
  }

  bool interactive() const override { return true; }
  void set_shell_hooks(ShellHooks hooks) override { hooks_ = std::move(hooks); }

  std::optional<std::string> read_line(const std::string& prompt) override {
    const bool question = is_question(prompt);
    out_.begin_prompt([this] { wake_.wake(kWakeOutput); });
    auto line = editor_.read(prompt, !question);
    out_.end_prompt();
    if (!line && editor_.connection_lost()) out_.error("Connection to the server closed");
    if (line && !question && worth_remembering(*line)) {
      editor_.add_history(*line);
      history_.append(*line);
    }
    return line;
  }

  std::optional<std::string> read_secret(const std::string& prompt) override {
    out_.begin_prompt([this] { wake_.wake(kWakeOutput); });
    auto line = read_secret_line(prompt, out_, wake_, hooks_);
    std::fputs("\n", stdout);  // the newline typed was not echoed
    std::fflush(stdout);
    out_.end_prompt();
    return line;
  }

 private:
  Output& out_;
  WakePipe wake_;
  TerminalSignals signals_;
  ShellHooks hooks_;
  ShellEditor editor_;
  HistoryFile history_;
};

}  // namespace

std::unique_ptr<LineSource> make_interactive_source(Output& out) {
  use_utf8_ctype();  // before anything decodes keys or measures text
  return std::make_unique<InteractiveSource>(out);
}

}  // namespace edgehub::client
