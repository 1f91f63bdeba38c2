// Batch mode: standard input is not a terminal. Lines are read as they are
// (a trailing "\r" dropped); no prompts are printed.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "client/core/line_source.hpp"

namespace edgehub::client {
namespace {

class BatchSource final : public LineSource {
 public:
  bool interactive() const override { return false; }
  std::optional<std::string> read_line(const std::string& /*prompt*/) override {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  // Standard input can be a terminal while standard output is not
  // (edgehub ... | tee log): never echo the password then.
  std::optional<std::string> read_secret(const std::string& prompt) override {
    termios old{};
    const bool tty = ::isatty(STDIN_FILENO) != 0 && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
      termios silent = old;
      silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    auto line = read_line(prompt);
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
    return line;
  }
};

}  // namespace

std::unique_ptr<LineSource> make_batch_source() { return std::make_unique<BatchSource>(); }

}  // namespace edgehub::client
