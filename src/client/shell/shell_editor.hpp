#pragma once
// The shell's line editor: libedit through its native histedit.h API. Its
// readline emulation hides the cursor position, reads keys a byte at a time
// through rl_getc_function (breaking UTF-8) and has no reliable redraw, so
// we use the API it is built on: libedit reads every key through
// next_key(), which waits in poll() on the terminal and on the wake pipe. A
// wake-up prints Output's queued lines above the prompt and redraws the
// prompt with the half-typed line and the cursor where they were. Output's
// status line (the progress bar of running transfers) is drawn on the row
// right above the prompt, and taken away when the line is entered.
//
// Everything here runs on the command thread, inside read(): the EditLine
// is never touched by another thread (see interactive_source.cpp).
#include <histedit.h>

#include <cwchar>
#include <optional>
#include <string>
#include <vector>

#include "client/core/output.hpp"
#include "client/shell/shell_hooks.hpp"
#include "client/shell/shell_terminal.hpp"
#include "client/shell/shell_words.hpp"

namespace edgehub::client {

class ShellEditor {
 public:
  // hooks is read at each use, so it may be filled in after construction.
  ShellEditor(Output& out, const WakePipe& wake, const ShellHooks& hooks);
  ~ShellEditor();
  ShellEditor(const ShellEditor&) = delete;
  ShellEditor& operator=(const ShellEditor&) = delete;

  // One line without its newline; nullopt at end of input: Ctrl-D on an
  // empty line, the terminal gone, or the server connection closed. TAB
  // completes only when completion is true (commands, not questions).
  std::optional<std::string> read(const std::string& prompt, bool completion);
  bool connection_lost() const { return connection_lost_; }
  void add_history(const std::string& line);

 private:
  static int key_hook(EditLine* el, wchar_t* key);
  static char* prompt_hook(EditLine* el);
  static unsigned char complete_hook(EditLine* el, int key);
  static unsigned char interrupt_hook(EditLine* el, int key);
  static unsigned char suspend_hook(EditLine* el, int key);
  static ShellEditor& self(EditLine* el);

  void bind_keys();
  int next_key(wchar_t* key);
  int read_key(wchar_t* key);
  void handle_wake();
  void print_above(const std::vector<std::string>& lines, const std::string& erase);
  void drop_status();
  std::string erase_sequence() const;
  std::string current_line() const;
  int columns() const;
  void clear_line();
  void replace_word(const std::string& old_word, const std::string& new_word);
  std::vector<std::string> candidates(const CompletionRequest& request, bool fresh) const;
  unsigned char complete();
  unsigned char interrupt();
  unsigned char suspend();

  Output& out_;
  const WakePipe& wake_;
  const ShellHooks& hooks_;
  EditLine* el_ = nullptr;
  History* history_ = nullptr;
  std::string prompt_;
  int prompt_width_ = 0;
  std::string status_shown_;  // the status line on the row above the prompt, if any
  bool completion_ = false;
  bool connection_lost_ = false;
  std::mbstate_t key_state_{};
};

}  // namespace edgehub::client
