#pragma once
// The declarative command table: one entry per command (name, aliases,
// arity, who may call it, handler, help). Adding a command is one entry in
// a register_*_commands function and one handler.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace edgehub::hub {

class CommandContext;

enum class Access {
  Anyone,    // before and after login (help, echo, quit)
  LoggedOut, // only before login (login, resume)
  LoggedIn,  // only after login: everything else
};

struct CommandSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::size_t min_args = 0;
  // The last argument takes the rest of the line, spaces included
  // ("message bob hello there" -> {"bob", "hello there"}).
  std::size_t max_args = 0;
  Access access = Access::LoggedIn;
  std::string usage;  // "message USER TEXT"
  std::string help;   // one line
  std::function<boost::asio::awaitable<void>(CommandContext&)> handler;
};

class CommandTable {
 public:
  void add(CommandSpec spec);
  // Case-insensitive lookup by name or alias; nullptr if unknown.
  const CommandSpec* find(std::string_view word) const;
  const std::vector<CommandSpec>& all() const { return specs_; }

 private:
  std::vector<CommandSpec> specs_;
  std::unordered_map<std::string, std::size_t> index_;  // lower-case word -> spec
};

}  // namespace edgehub::hub
