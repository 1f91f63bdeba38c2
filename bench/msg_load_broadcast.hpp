#pragma once
// msg_load --mode broadcast: --receivers guests, spread over --procs
// forked processes, and one sender sending --count broadcasts with
// --window in flight. Reports deliveries/s (receivers x broadcasts / time).
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "msg_load_options.hpp"

namespace edgehub::bench::msg {

// A receiver process: connects its share, says "ready", counts broadcasts
// until it has `expected` of them (or 120 s pass), then reports.
inline int broadcast_receivers(const Options& o, const tcp::endpoint& server, std::size_t n, int report_fd) {
  asio::io_context io;
  std::size_t received = 0;
  std::int64_t last = 0;
  const std::size_t expected = n * o.count;
  std::vector<std::unique_ptr<Client>> clients;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        clients = co_await connect_many(io, server, o, n, Role::receiver);
        if (::write(report_fd, "ready\n", 6) != 6) co_return;
        for (auto& c : clients)
          asio::co_spawn(
              io,
              [&, client = c.get()]() -> asio::awaitable<void> {
                for (;;) {
                  const Event e = co_await next_event(*client);
                  if (e.kind == Kind::closed) co_return;
                  if (e.kind != Kind::delivery) continue;
                  last = now_ns();
                  if (++received == expected) io.stop();
                }
              },
              asio::detached);
      },
      asio::detached);
  io.run_for(std::chrono::seconds(180));
  const std::string report = fmt::format("{} {}\n", received, last);
  return ::write(report_fd, report.data(), report.size()) == static_cast<ssize_t>(report.size()) ? 0 : 1;
}

inline std::string read_report(int fd) {
  std::string line;
  char ch = 0;
  while (::read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
  return line;
}

// The sender: count broadcasts with `window` in flight; returns the first send time.
inline std::int64_t send_broadcasts(const Options& o, const tcp::endpoint& server, std::size_t& reached) {
  asio::io_context io;
  std::int64_t started = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto senders = co_await connect_many(io, server, o, 1, Role::sender);
        Client& c = *senders.front();
        const std::string text = padding(o.size + 24);
        started = now_ns();
        std::size_t sent = 0;
        std::size_t answered = 0;
        for (; sent < std::min(o.window, o.count); ++sent) {
          const std::string command = broadcast_message(c, text);
          if (!co_await send(c, command)) co_return;
        }
        while (answered < o.count) {
          const Event e = co_await next_event(c);
          if (e.kind == Kind::closed) co_return;
          if (e.kind != Kind::ack) continue;
          reached = e.reached;
          ++answered;
          if (sent == o.count) continue;
          const std::string command = broadcast_message(c, text);
          if (!co_await send(c, command)) co_return;
          ++sent;
        }
      },
      asio::detached);
  io.run();
  return started;
}

inline int broadcast(const Options& o, const tcp::endpoint& server) {
  std::vector<std::pair<pid_t, int>> children;
  for (std::size_t p = 0; p < o.procs; ++p) {
    int fds[2];
    if (::pipe(fds) != 0) return 1;
    const std::size_t share = o.receivers / o.procs + (p < o.receivers % o.procs ? 1 : 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      std::_Exit(broadcast_receivers(o, server, share, fds[1]));
    }
    ::close(fds[1]);
    children.emplace_back(pid, fds[0]);
  }
  for (auto& [pid, fd] : children)
    if (read_report(fd) != "ready") return 1;
  std::size_t reached = 0;
  const double cpu_before = cpu_seconds(o.server_pid);
  const std::int64_t started = send_broadcasts(o, server, reached);
  std::size_t received = 0;
  std::int64_t finished = started;
  for (auto& [pid, fd] : children) {
    std::size_t got = 0;
    long long last = 0;
    std::sscanf(read_report(fd).c_str(), "%zu %lld", &got, &last);
    received += got;
    finished = std::max<std::int64_t>(finished, last);
    ::waitpid(pid, nullptr, 0);
  }
  const double cpu = cpu_seconds(o.server_pid) - cpu_before;
  const double secs = static_cast<double>(finished - started) / 1e9;
  std::printf(
      "RESULT broadcast receivers=%zu procs=%zu broadcasts=%zu size=%zu server_reached=%zu received=%zu "
      "seconds=%.3f deliveries_per_s=%.0f server_cpu_us_per_delivery=%s protocol=%s\n",
      o.receivers, o.procs, o.count, o.size, reached, received, secs, static_cast<double>(received) / secs,
      cpu_per_message(cpu, received).c_str(), o.protocol.c_str());
  return received == o.receivers * o.count ? 0 : 1;
}

}  // namespace edgehub::bench::msg
