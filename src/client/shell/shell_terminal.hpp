#pragma once
// The shell's two links with the world outside the line editor:
// - WakePipe: a non-blocking self-pipe. Other threads (through Output) and
//   signal handlers write one byte saying why; the editor's poll() sees it.
// - TerminalSignals: while the shell runs, SIGWINCH and SIGCONT only wake the
//   editor (it resizes / redraws on its own thread), and SIGINT, SIGTERM,
//   SIGHUP and SIGQUIT first put the terminal back the way it was found
//   (echo on, line mode) and then take their default action; SIGINT during
//   a foreground transfer only cancels it (client/core/foreground_cancel.hpp). At the prompt
//   the editor turns ISIG off, so Ctrl-C there is a key, not a signal.
#include <signal.h>
#include <termios.h>

#include <array>
#include <string>

namespace edgehub::client {

enum WakeReason : char {
  kWakeOutput = 'o',  // Output queued lines
  kWakeResize = 'w',  // SIGWINCH
  kWakeResume = 'c',  // SIGCONT: the terminal may have been changed meanwhile
};

class WakePipe {
 public:
  WakePipe();
  ~WakePipe();
  WakePipe(const WakePipe&) = delete;
  WakePipe& operator=(const WakePipe&) = delete;

  // Async-signal-safe and thread-safe; a full pipe is fine (a wake is pending).
  void wake(WakeReason why) const noexcept;
  int read_fd() const { return fds_[0]; }
  int write_fd() const { return fds_[1]; }
  // Everything written so far (the reasons), without blocking.
  std::string drain() const;

 private:
  std::array<int, 2> fds_{-1, -1};
};

class TerminalSignals {
 public:
  explicit TerminalSignals(const WakePipe& wake);
  ~TerminalSignals();
  TerminalSignals(const TerminalSignals&) = delete;
  TerminalSignals& operator=(const TerminalSignals&) = delete;

 private:
  static constexpr std::array kSignals{SIGWINCH, SIGCONT, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  std::array<struct sigaction, kSignals.size()> previous_{};
};

// How often a waiting prompt checks that the server connection is still
// open (a closed connection has no event of its own on the shell's thread).
inline constexpr int kLivenessCheckMs = 250;

// Writes text to the terminal now (stdout, flushed): prompts and echoes
// must show before the shell waits for the next key.
void write_to_terminal(const std::string& text);

}  // namespace edgehub::client
