#pragma once
// Where commands come from: a terminal (interactive shell with libedit) or
// anything else (batch: one line at a time, no prompts).
#include <memory>
#include <optional>
#include <string>

#include "client/core/output.hpp"
#include "client/shell/shell_hooks.hpp"

namespace edgehub::client {

class LineSource {
 public:
  virtual ~LineSource() = default;
  virtual bool interactive() const = 0;
  // nullopt at end of input.
  virtual std::optional<std::string> read_line(const std::string& prompt) = 0;
  // Like read_line, without echo on a terminal.
  virtual std::optional<std::string> read_secret(const std::string& prompt) = 0;
  // Completion words and connection state for the interactive shell.
  virtual void set_shell_hooks(ShellHooks /*hooks*/) {}
};

std::unique_ptr<LineSource> make_batch_source();
// Interactive shell on the terminal; hooks itself into out so that
// notifications print above the prompt.
std::unique_ptr<LineSource> make_interactive_source(Output& out);

}  // namespace edgehub::client
