#pragma once
// What the interactive shell asks of the rest of the client: words for tab
// completion and whether the server connection is still open. Every hook is
// called on the command thread while it sits at a prompt, when no request is
// outstanding, so a hook may talk to the server (ServerLink::request).
#include <functional>
#include <string>
#include <vector>

namespace edgehub::client {

struct ShellHooks {
  std::function<std::vector<std::string>()> command_words;  // server and client commands, aliases included
  // Online devices; a cached list unless fresh (asked when the cache has no match).
  std::function<std::vector<std::string>(bool fresh)> user_names;
  // Files in the repository (`list`), cached the same way.
  std::function<std::vector<std::string>(bool fresh)> repo_files;
  std::function<bool()> connection_open;  // false ends the prompt (end of input)
};

}  // namespace edgehub::client
