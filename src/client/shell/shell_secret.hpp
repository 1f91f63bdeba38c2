#pragma once
// The password prompt: the terminal in line mode with echo off, read
// straight from the file descriptor (no stdio buffer keeps typed-ahead
// commands from the editor). Like the editor it owns the terminal while it
// waits: lines Output queued meanwhile are printed above the prompt, and a
// closed server connection ends it.
#include <optional>
#include <string>

#include "client/core/output.hpp"
#include "client/shell/shell_hooks.hpp"
#include "client/shell/shell_terminal.hpp"

namespace edgehub::client {

// nullopt at end of input or when the connection closed. Call between
// out.begin_prompt() and out.end_prompt().
std::optional<std::string> read_secret_line(const std::string& prompt, Output& out, const WakePipe& wake,
                                            const ShellHooks& hooks);

}  // namespace edgehub::client
