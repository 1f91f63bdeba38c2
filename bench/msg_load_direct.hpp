#pragma once
// msg_load --mode direct: N online pairs; each sender keeps --window
// messages in flight (or sends at --rate messages/s in total); receivers
// time each message. Reports routed messages/s and latency.
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "msg_load_options.hpp"

namespace edgehub::bench::msg {

struct DirectStats {
  std::int64_t measure_from = 0;
  std::int64_t measure_to = 0;
  std::size_t delivered = 0;  // inside the measuring window
  std::size_t received = 0;   // in all
  std::size_t acked = 0;
  std::size_t errors = 0;
  std::vector<std::uint32_t> latency_us;
  double server_cpu = 0;  // seconds used inside the measuring window
  double client_cpu = 0;  // the same for this (single-threaded) load process
};

inline asio::awaitable<void> receive_direct(Client& c, DirectStats& st) {
  for (;;) {
    const Event e = co_await next_event(c);
    if (e.kind == Kind::closed) co_return;
    if (e.kind != Kind::delivery) continue;
    ++st.received;
    const std::int64_t now = now_ns();
    if (now < st.measure_from || now > st.measure_to) continue;
    ++st.delivered;
    st.latency_us.push_back(static_cast<std::uint32_t>((now - e.sent_ns) / 1000));
  }
}

// An answer to one of our messages (+OK or PUBACK, or an error) counted;
// false at end of stream.
inline asio::awaitable<bool> next_answer(Client& c, DirectStats& st) {
  for (;;) {
    const Event e = co_await next_event(c);
    if (e.kind == Kind::closed) co_return false;
    if (e.kind != Kind::ack && e.kind != Kind::refused) continue;
    ++(e.kind == Kind::ack ? st.acked : st.errors);
    co_return true;
  }
}

// Window mode: one message per answer, so `window` stay in flight.
inline asio::awaitable<void> send_window(Client& c, std::string to, const Options& o, DirectStats& st) {
  const std::string pad = padding(o.size);
  std::string burst;
  for (std::size_t i = 0; i < o.window; ++i) burst += direct_message(c, to, pad);
  if (!co_await send(c, burst)) co_return;
  std::size_t outstanding = o.window;
  while (outstanding > 0) {
    if (!co_await next_answer(c, st)) co_return;
    --outstanding;
    if (now_ns() < st.measure_to) {
      const std::string next = direct_message(c, to, pad);  // named: no temporaries inside co_await (GCC 12)
      if (!co_await send(c, next)) co_return;
      ++outstanding;
    }
  }
}

// Rate mode: a paced writer; answers are only counted.
inline asio::awaitable<void> send_paced(Client& c, std::string to, const Options& o, DirectStats& st,
                                        double per_second) {
  const std::string pad = padding(o.size);
  asio::co_spawn(
      c.socket.get_executor(),
      [&c, &st]() -> asio::awaitable<void> {
        while (co_await next_answer(c, st)) {
        }
      },
      asio::detached);
  const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / per_second));
  asio::steady_timer timer(c.socket.get_executor());
  auto next = std::chrono::steady_clock::now() + std::chrono::nanoseconds(std::rand() % interval.count());
  while (now_ns() < st.measure_to) {
    timer.expires_at(next);
    co_await timer.async_wait(kTuple);
    next += interval;
    const std::string message = direct_message(c, to, pad);
    if (!co_await send(c, message)) co_return;
  }
}

inline std::uint32_t percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// clients outlives io.run(): detached coroutines use them to the end.
inline asio::awaitable<void> run_direct(asio::io_context& io, tcp::endpoint server, const Options& o, DirectStats& st,
                                        std::vector<std::unique_ptr<Client>>& clients) {
  clients = co_await connect_many(io, server, o, 2 * o.pairs, Role::pair);
  st.measure_from = now_ns() + static_cast<std::int64_t>(o.warmup * 1e9);
  st.measure_to = st.measure_from + static_cast<std::int64_t>(o.seconds * 1e9);
  for (std::size_t i = 0; i < o.pairs; ++i) {
    Client& sender = *clients[2 * i];
    Client& receiver = *clients[2 * i + 1];
    asio::co_spawn(io, receive_direct(receiver, st), asio::detached);
    const double rate_per_pair = o.rate / static_cast<double>(o.pairs);
    if (o.rate > 0)
      asio::co_spawn(io, send_paced(sender, receiver.name, o, st, rate_per_pair), asio::detached);
    else
      asio::co_spawn(io, send_window(sender, receiver.name, o, st), asio::detached);
  }
  asio::steady_timer done(io);
  done.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(st.measure_from)));
  co_await done.async_wait(kTuple);
  const double cpu_before = cpu_seconds(o.server_pid);
  const double client_cpu_before = cpu_seconds(::getpid());
  done.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(st.measure_to)));
  co_await done.async_wait(kTuple);
  st.server_cpu = cpu_seconds(o.server_pid) - cpu_before;
  st.client_cpu = cpu_seconds(::getpid()) - client_cpu_before;
  done.expires_after(std::chrono::seconds(2));
  co_await done.async_wait(kTuple);
  for (auto& c : clients) c->socket.close();
}

inline int direct(const Options& o, const tcp::endpoint& server) {
  asio::io_context io;
  DirectStats st;
  std::vector<std::unique_ptr<Client>> clients;
  asio::co_spawn(io, run_direct(io, server, o, st, clients), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
  const double rate = static_cast<double>(st.delivered) / o.seconds;
  auto& lat = st.latency_us;
  std::printf(
      "RESULT direct pairs=%zu window=%zu target_rate=%.0f size=%zu delivered_per_s=%.0f p50_us=%u p99_us=%u "
      "p999_us=%u max_us=%u errors=%zu server_cpu_us_per_msg=%s not_received=%zu protocol=%s "
      "client_cpu_us_per_msg=%s\n",
      o.pairs, o.rate > 0 ? 0 : o.window, o.rate, o.size, rate, percentile(lat, 0.50), percentile(lat, 0.99),
      percentile(lat, 0.999), lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end()), st.errors,
      cpu_per_message(st.server_cpu, st.delivered).c_str(), st.acked - std::min(st.acked, st.received),
      o.protocol.c_str(), cpu_per_message(st.client_cpu, st.delivered).c_str());
  return st.errors == 0 && st.delivered > 0 ? 0 : 1;
}

}  // namespace edgehub::bench::msg
