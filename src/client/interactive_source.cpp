// Interactive mode on a terminal: libedit line editing and history.
// Notifications arriving while the user types are printed above the prompt:
// the current line is cleared, the message printed, and the prompt with the
// half-typed text redrawn.
#include <editline/readline.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "client/line_source.hpp"

namespace edgehub::client {
namespace {

class InteractiveSource final : public LineSource {
 public:
  explicit InteractiveSource(Output& out) {
    out.set_redraw_hooks([this] { if (reading_) std::fputs("\r\033[K", stdout); },
                         [this] { if (reading_) rl_forced_update_display(); });
  }

  bool interactive() const override { return true; }

  std::optional<std::string> read_line(const std::string& prompt) override {
    reading_ = true;
    char* raw = readline(prompt.c_str());
    reading_ = false;
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    if (!line.empty()) add_history(line.c_str());
    return line;
  }

  std::optional<std::string> read_secret(const std::string& prompt) override {
    std::fputs(prompt.c_str(), stdout);
    std::fflush(stdout);
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
      termios silent = old;
      silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    std::string line;
    const bool ok = static_cast<bool>(std::getline(std::cin, line));
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fputs("\n", stdout);
    if (!ok) return std::nullopt;
    return line;
  }

 private:
  volatile bool reading_ = false;
};

}  // namespace

std::unique_ptr<LineSource> make_interactive_source(Output& out) { return std::make_unique<InteractiveSource>(out); }

}  // namespace edgehub::client
