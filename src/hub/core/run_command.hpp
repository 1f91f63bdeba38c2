#pragma once
// The last step of dispatch (Hub::on_line): runs a command's handler once
// the line has passed the table's checks (known word, access, arity).
#include <boost/asio/awaitable.hpp>
#include <string>

#include "hub/core/command_context.hpp"

namespace edgehub::hub {

// Runs ctx.spec.handler. A handler that throws is a server fault: the
// exception's text (which can name server paths) goes only to the log, under
// a short random id; the client gets "-ERR 500 Internal error (id ID)", so an
// operator can find the details from what a user reports.
boost::asio::awaitable<void> run_command(CommandContext& ctx);

// A short random id (8 hex digits) that ties a generic error reply to the
// log line holding its details.
std::string new_error_id();

}  // namespace edgehub::hub
