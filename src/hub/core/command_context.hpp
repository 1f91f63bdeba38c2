#pragma once
// What a command handler gets: the hub's services, the calling session,
// the parsed arguments, and ways to reply. Argument views point into the
// connection's input buffer and stay valid until the handler completes.
#include <string>
#include <string_view>
#include <vector>

#include "hub/core/command_table.hpp"
#include "hub/core/session.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

class Hub;

class CommandContext {
 public:
  CommandContext(Hub& owner, Session& caller, const CommandSpec& command, std::vector<std::string_view> arguments)
      : hub(owner), session(caller), spec(command), args(std::move(arguments)) {}

  Hub& hub;
  Session& session;
  const CommandSpec& spec;
  std::vector<std::string_view> args;

  std::string arg(std::size_t i) const { return i < args.size() ? std::string(args[i]) : std::string(); }

  void ok(std::string_view text) { session.send(protocol::encode_ok(text)); }
  void err(protocol::StatusCode code, std::string_view text) { session.send(protocol::encode_err(code, text)); }
  void list(std::string_view summary, const std::vector<std::string>& lines) {
    session.send(protocol::encode_list(summary, lines));
  }
};

}  // namespace edgehub::hub
