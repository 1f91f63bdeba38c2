#pragma once
// Where the shell's completion words come from: the server's commands (one
// `help` request, the first time TAB is pressed), the client's own commands,
// online device names (an `AED` request, repeated at most every few
// seconds), repository files for `get` (a `list` request, likewise), and
// file names in the current directory.
#include <string>
#include <string_view>
#include <vector>

#include "client/core/server_link.hpp"
#include "client/shell/shell_hooks.hpp"

namespace edgehub::client {

// link must outlive the hooks. Note that the requests count as activity for
// the server's --idle-timeout, as typing would.
ShellHooks make_shell_hooks(ServerLink& link, std::vector<std::string> client_words);

// Entries of the prefix's directory (or "."), as prefix-style paths;
// directories end in "/". Dot files only when the prefix asks for them.
std::vector<std::string> local_file_candidates(std::string_view prefix);

}  // namespace edgehub::client
