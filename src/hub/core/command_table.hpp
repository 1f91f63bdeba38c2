#pragma once
// The declarative command table: one entry per command (name, aliases,
// arity, who may call it, handler, help). Adding a command is one entry in
// a register_*_commands function and one handler. Entries are written with
// designated initializers, every field named (after_login, the one
// optional field, only where it applies), so that one reads without
// counting fields:
//   table.add({.name = "echo", .aliases = {}, .min_args = 1, .max_args = 1, .access = Access::Anyone,
//              .usage = "echo TEXT", .help = "the server answers TEXT ACK", .handler = echo});
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/metrics/catalog.hpp"

namespace edgehub::hub {

class CommandContext;

enum class Access {
  Anyone,     // before and after login (help, echo, quit)
  LoggedOut,  // only before login (login, resume)
  LoggedIn,   // only after login: everything else
};

struct CommandSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::size_t min_args = 0;
  // The last argument takes the rest of the line, spaces included
  // ("message bob hello there" -> {"bob", "hello there"}).
  std::size_t max_args = 0;
  Access access = Access::LoggedIn;
  // The wire usage, as typed at nc: what help lists, what "-ERR 400 Usage:"
  // quotes and what docs/PROTOCOL.md#9-command-index shows ("UED FILEID SIZE
  // SHA256", not the client's "UED FILEID").
  std::string usage;
  std::string help;  // one line
  std::function<boost::asio::awaitable<void>(CommandContext&)> handler;
  // Access::LoggedOut only, optional: what the command is for, said instead
  // of a bare "Already logged in" when it comes after login ("notify").
  std::string after_login = {};
  // Filled in by the table, not by an entry (docs/METRICS.md#every-metric):
  // this command's counter, resolved once so that dispatch does one atomic
  // add, and the feature its bytes count under.
  metrics::Counter* calls = nullptr;
  metrics::Feature feature = metrics::Feature::control;
};

class CommandTable {
 public:
  void add(CommandSpec spec);
  // Case-insensitive lookup by name or alias; nullptr if unknown.
  const CommandSpec* find(std::string_view word) const;
  const std::vector<CommandSpec>& all() const { return specs_; }
  // Counts the bytes of the commands added since the first `from` entries
  // under `feature` (docs/METRICS.md#bytes-by-feature).
  void set_feature(std::size_t from, metrics::Feature feature);

 private:
  std::vector<CommandSpec> specs_;
  std::unordered_map<std::string, std::size_t> index_;  // lower-case word -> spec
};

}  // namespace edgehub::hub
