// status [N]: the server sends the last N connections and, in the list's
// header, how many there are in all; Output shows that header above the
// lines, since the lines alone no longer tell the whole history
// (docs/CLIENT.md#status).
#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/core/command_registry.hpp"

namespace edgehub::client {
namespace {

void status(ClientApp& app, const ClientArgs& args) {
  app.forward(args.empty() ? std::string("status") : fmt::format("status {}", args[0]));
}

}  // namespace

void register_status_command(ClientCommandTable& table) {
  // The argument goes to the server as typed: it judges it.
  table.add(
      {.name = "status", .min_args = 0, .max_args = 1, .rest_of_line = true, .usage = "status [N]", .run = status});
}

}  // namespace edgehub::client
