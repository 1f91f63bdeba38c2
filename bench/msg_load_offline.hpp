#pragma once
// msg_load --mode offline: --senders guests send --count messages in total
// to offline accounts PREFIX000000..; each "+OK ... stored" is durable.
// Reports stored messages/s (group commit at work). --write-credentials
// writes the accounts the server needs for it.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msg_load_options.hpp"

namespace edgehub::bench::msg {

inline int offline(const Options& o, const tcp::endpoint& server) {
  asio::io_context io;
  std::size_t stored = 0;
  std::size_t refused = 0;
  std::int64_t started = 0;
  std::int64_t finished = 0;
  const std::string pad = padding(o.size + 24);
  std::vector<std::unique_ptr<Client>> clients;  // outlives io.run()
  double cpu_before = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        clients = co_await connect_many(io, server, o, o.senders, Role::sender);
        cpu_before = cpu_seconds(o.server_pid);
        started = now_ns();
        for (std::size_t s = 0; s < o.senders; ++s)
          asio::co_spawn(
              io,
              [&, s, c = clients[s].get()]() -> asio::awaitable<void> {
                // One at a time per connection: the server answers a connection's
                // commands in order, and a stored message waits for its commit.
                for (std::size_t k = s; k < o.count; k += o.senders) {
                  const std::string to = fmt::format("{}{:06}", o.prefix, k % o.recipients);
                  const std::string message = fmt::format("message {} {}\n", to, pad);
                  if (!co_await send(*c, message)) co_return;
                  std::optional<std::string_view> line;
                  while ((line = co_await next_line(*c)) && line->starts_with("!")) {
                  }
                  if (!line) co_return;
                  ++(line->find("is offline; the message is stored") != std::string_view::npos ? stored : refused);
                  finished = now_ns();
                }
              },
              asio::detached);
        co_return;
      },
      asio::detached);
  io.run();
  const double cpu = cpu_seconds(o.server_pid) - cpu_before;
  const double secs = static_cast<double>(finished - started) / 1e9;
  std::printf(
      "RESULT offline senders=%zu recipients=%zu size=%zu stored=%zu refused=%zu seconds=%.3f stored_per_s=%.0f "
      "server_cpu_us_per_msg=%s\n",
      o.senders, o.recipients, o.size, stored, refused, secs, static_cast<double>(stored) / secs,
      cpu_per_message(cpu, stored).c_str());
  return refused == 0 && stored == o.count ? 0 : 1;
}

inline int write_credentials(const Options& o) {
  std::ofstream out(o.write_credentials);
  for (std::size_t i = 0; i < o.recipients; ++i) out << fmt::format("{}{:06} pw{:06}x\n", o.prefix, i, i);
  return out ? 0 : 1;
}

}  // namespace edgehub::bench::msg
