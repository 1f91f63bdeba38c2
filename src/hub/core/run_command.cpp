#include "hub/core/run_command.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "store/store.hpp"

namespace edgehub::hub {

// 32 random bits: enough to tell the failures in one log apart, short
// enough to read out over the phone.
std::string new_error_id() { return fmt::format("{:08x}", randombytes_random()); }

boost::asio::awaitable<void> run_command(CommandContext& ctx) {
  std::optional<std::string> failure;  // no co_await inside a catch block
  bool disk_full = false;
  try {
    co_await ctx.spec.handler(ctx);
  } catch (const store::DiskFull& e) {
    failure = e.what();
    disk_full = true;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an exception that is not a std::exception";
  }
  if (!failure) co_return;
  const std::string id = new_error_id();
  const Session& s = ctx.session;
  spdlog::error("command '{}' from {} failed (error id {}): {}", ctx.spec.name, s.logged_in() ? s.name : s.ip(), id,
                *failure);
  if (disk_full)  // the operator's problem, not the client's; say so plainly (docs/SECURITY.md#a-full-disk)
    ctx.err(protocol::StatusCode::DiskFull,
            fmt::format("The server's disk is full: nothing was stored; try again later (id {})", id));
  else
    ctx.err(protocol::StatusCode::Internal, fmt::format("Internal error (id {})", id));
}

}  // namespace edgehub::hub
