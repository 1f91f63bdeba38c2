// msg_load: load generator for messaging (issue 3; results in
// docs/BENCHMARKS.md, "Messaging"; driven by bench/msg_bench.sh).
//
//   direct    N online pairs; each sender keeps --window messages in flight
//             (or sends at --rate messages/s in total); receivers time each
//             message (the send time travels in the text; one machine, one
//             monotonic clock). Reports routed messages/s and latency.
//   broadcast --receivers guests, spread over --procs processes, and one
//             sender sending --count broadcasts with --window in flight.
//             Reports deliveries/s (receivers x broadcasts / time).
//   offline   --senders guests send --count messages in total to offline
//             accounts PREFIX000000..; each "+OK ... stored" is durable.
//             Reports stored messages/s (group commit at work).
//
// The server must run with --guest --no-presence (guests need no login and
// get no presence fan-out); offline mode also needs the accounts
// (--write-credentials FILE writes them).
//
// --protocol mqtt runs direct and broadcast against an MQTT 3.1.1 broker
// instead (msg_client.hpp): receiver i subscribes to "dm/<i>" at QoS 1 and
// its sender PUBLISHes there at QoS 1 (the PUBACK stands for "+OK"; the
// window counts unacknowledged PUBLISHes); broadcast receivers subscribe to
// "bcast" at QoS 0 (like !BCAST, unacknowledged) and the sender PUBLISHes
// to it at QoS 1. Message texts are the same for both protocols.
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msg_client.hpp"

namespace {

using namespace edgehub::bench::msg;

struct Options {
  std::string mode = "direct";
  std::string protocol = "edgehub";
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t pairs = 100;
  std::size_t window = 16;
  double rate = 0;  // messages/s in total; 0 = as fast as the window allows
  double seconds = 10;
  double warmup = 2;
  std::size_t receivers = 10000;
  std::size_t procs = 2;
  std::size_t count = 100;
  std::size_t senders = 100;
  std::size_t recipients = 100;
  std::string prefix = "off";
  std::size_t size = 64;  // bytes of text per message
  std::string write_credentials;
  int server_pid = 0;  // if set: report the server's CPU time per message
};

// CPU seconds (user + system) the process has used so far; 0 if unknown.
// Contention from other processes inflates wall-clock rates, much less this.
double cpu_seconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // fields 14 and 15: utime, stime
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Microseconds of server CPU per message, as text for a RESULT line.
std::string cpu_per_message(double cpu, std::size_t messages) {
  if (cpu <= 0 || messages == 0) return "n/a";
  return fmt::format("{:.2f}", cpu * 1e6 / static_cast<double>(messages));
}

Protocol protocol(const Options& o) { return o.protocol == "mqtt" ? Protocol::mqtt : Protocol::edgehub; }

// What the clients of connect_many do; MQTT receivers subscribe on connecting.
enum class Role { sender, receiver, pair };  // pair: even = sender, odd = receiver of "dm/<i/2>"

asio::awaitable<std::vector<std::unique_ptr<Client>>> connect_many(asio::io_context& io, const tcp::endpoint& server,
                                                                   const Options& o, std::size_t n, Role role) {
  std::vector<std::unique_ptr<Client>> out;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = std::make_unique<Client>(io, protocol(o));
    const std::string id = fmt::format("msg-{}-{}", ::getpid(), i);
    std::string topic;
    if (role == Role::receiver) topic = kBroadcastTopic;
    if (role == Role::pair && i % 2 == 1) topic = fmt::format("dm/{}", i / 2);
    if (!co_await connect_client(*c, server, id, topic, role == Role::pair ? 1u : 0u))
      throw std::runtime_error(fmt::format("connection {} refused", i));
    out.push_back(std::move(c));
  }
  co_return out;
}

std::string padding(std::size_t size) { return std::string(size > 24 ? size - 24 : 0, 'x'); }

// ---------------------------------------------------------------- direct

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

asio::awaitable<void> receive_direct(Client& c, DirectStats& st) {
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
asio::awaitable<bool> next_answer(Client& c, DirectStats& st) {
  for (;;) {
    const Event e = co_await next_event(c);
    if (e.kind == Kind::closed) co_return false;
    if (e.kind != Kind::ack && e.kind != Kind::refused) continue;
    ++(e.kind == Kind::ack ? st.acked : st.errors);
    co_return true;
  }
}

// Window mode: one message per answer, so `window` stay in flight.
asio::awaitable<void> send_window(Client& c, std::string to, const Options& o, DirectStats& st) {
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
asio::awaitable<void> send_paced(Client& c, std::string to, const Options& o, DirectStats& st, double per_second) {
  const std::string pad = padding(o.size);
  asio::co_spawn(c.socket.get_executor(), [&c, &st]() -> asio::awaitable<void> {
    while (co_await next_answer(c, st)) {
    }
  }, asio::detached);
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

std::uint32_t percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// clients outlives io.run(): detached coroutines use them to the end.
asio::awaitable<void> run_direct(asio::io_context& io, tcp::endpoint server, const Options& o, DirectStats& st,
                                 std::vector<std::unique_ptr<Client>>& clients) {
  clients = co_await connect_many(io, server, o, 2 * o.pairs, Role::pair);
  st.measure_from = now_ns() + static_cast<std::int64_t>(o.warmup * 1e9);
  st.measure_to = st.measure_from + static_cast<std::int64_t>(o.seconds * 1e9);
  for (std::size_t i = 0; i < o.pairs; ++i) {
    Client& sender = *clients[2 * i];
    Client& receiver = *clients[2 * i + 1];
    asio::co_spawn(io, receive_direct(receiver, st), asio::detached);
    if (o.rate > 0) asio::co_spawn(io, send_paced(sender, receiver.name, o, st, o.rate / static_cast<double>(o.pairs)), asio::detached);
    else asio::co_spawn(io, send_window(sender, receiver.name, o, st), asio::detached);
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

int direct(const Options& o, const tcp::endpoint& server) {
  asio::io_context io;
  DirectStats st;
  std::vector<std::unique_ptr<Client>> clients;
  asio::co_spawn(io, run_direct(io, server, o, st, clients), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
  const double rate = static_cast<double>(st.delivered) / o.seconds;
  auto& lat = st.latency_us;
  std::printf("RESULT direct pairs=%zu window=%zu target_rate=%.0f size=%zu delivered_per_s=%.0f p50_us=%u p99_us=%u "
              "max_us=%u errors=%zu server_cpu_us_per_msg=%s not_received=%zu protocol=%s client_cpu_us_per_msg=%s\n",
              o.pairs, o.rate > 0 ? 0 : o.window, o.rate, o.size, rate, percentile(lat, 0.50), percentile(lat, 0.99),
              lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end()), st.errors,
              cpu_per_message(st.server_cpu, st.delivered).c_str(), st.acked - std::min(st.acked, st.received),
              o.protocol.c_str(), cpu_per_message(st.client_cpu, st.delivered).c_str());
  return st.errors == 0 && st.delivered > 0 ? 0 : 1;
}

// ------------------------------------------------------------- broadcast

// A receiver process: connects its share, says "ready", counts broadcasts
// until it has `expected` of them (or 120 s pass), then reports.
int broadcast_receivers(const Options& o, const tcp::endpoint& server, std::size_t n, int report_fd) {
  asio::io_context io;
  std::size_t received = 0;
  std::int64_t last = 0;
  const std::size_t expected = n * o.count;
  std::vector<std::unique_ptr<Client>> clients;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    clients = co_await connect_many(io, server, o, n, Role::receiver);
    if (::write(report_fd, "ready\n", 6) != 6) co_return;
    for (auto& c : clients)
      asio::co_spawn(io, [&, client = c.get()]() -> asio::awaitable<void> {
        for (;;) {
          const Event e = co_await next_event(*client);
          if (e.kind == Kind::closed) co_return;
          if (e.kind != Kind::delivery) continue;
          last = now_ns();
          if (++received == expected) io.stop();
        }
      }, asio::detached);
  }, asio::detached);
  io.run_for(std::chrono::seconds(180));
  const std::string report = fmt::format("{} {}\n", received, last);
  return ::write(report_fd, report.data(), report.size()) == static_cast<ssize_t>(report.size()) ? 0 : 1;
}

std::string read_report(int fd) {
  std::string line;
  char ch = 0;
  while (::read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
  return line;
}

// The sender: count broadcasts with `window` in flight; returns the first send time.
std::int64_t send_broadcasts(const Options& o, const tcp::endpoint& server, std::size_t& reached) {
  asio::io_context io;
  std::int64_t started = 0;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
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
  }, asio::detached);
  io.run();
  return started;
}

int broadcast(const Options& o, const tcp::endpoint& server) {
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
  std::printf("RESULT broadcast receivers=%zu procs=%zu broadcasts=%zu size=%zu server_reached=%zu received=%zu "
              "seconds=%.3f deliveries_per_s=%.0f server_cpu_us_per_delivery=%s protocol=%s\n",
              o.receivers, o.procs, o.count, o.size, reached, received, secs, static_cast<double>(received) / secs,
              cpu_per_message(cpu, received).c_str(), o.protocol.c_str());
  return received == o.receivers * o.count ? 0 : 1;
}

// --------------------------------------------------------------- offline

int offline(const Options& o, const tcp::endpoint& server) {
  asio::io_context io;
  std::size_t stored = 0;
  std::size_t refused = 0;
  std::int64_t started = 0;
  std::int64_t finished = 0;
  const std::string pad = padding(o.size + 24);
  std::vector<std::unique_ptr<Client>> clients;  // outlives io.run()
  double cpu_before = 0;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    clients = co_await connect_many(io, server, o, o.senders, Role::sender);
    cpu_before = cpu_seconds(o.server_pid);
    started = now_ns();
    for (std::size_t s = 0; s < o.senders; ++s)
      asio::co_spawn(io, [&, s, c = clients[s].get()]() -> asio::awaitable<void> {
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
      }, asio::detached);
    co_return;
  }, asio::detached);
  io.run();
  const double cpu = cpu_seconds(o.server_pid) - cpu_before;
  const double secs = static_cast<double>(finished - started) / 1e9;
  std::printf("RESULT offline senders=%zu recipients=%zu size=%zu stored=%zu refused=%zu seconds=%.3f stored_per_s=%.0f "
              "server_cpu_us_per_msg=%s\n",
              o.senders, o.recipients, o.size, stored, refused, secs, static_cast<double>(stored) / secs,
              cpu_per_message(cpu, stored).c_str());
  return refused == 0 && stored == o.count ? 0 : 1;
}

int write_credentials(const Options& o) {
  std::ofstream out(o.write_credentials);
  for (std::size_t i = 0; i < o.recipients; ++i) out << fmt::format("{}{:06} pw{:06}x\n", o.prefix, i, i);
  return out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"msg_load: messaging load generator (see docs/BENCHMARKS.md, Messaging)", "msg_load"};
  Options o;
  app.add_option("--mode", o.mode, "direct, broadcast or offline")->check(CLI::IsMember({"direct", "broadcast", "offline"}));
  app.add_option("--protocol", o.protocol, "edgehub, or mqtt (an MQTT 3.1.1 broker; direct and broadcast only)")
      ->check(CLI::IsMember({"edgehub", "mqtt"}));
  app.add_option("--host", o.host, "server address");
  app.add_option("--port", o.port, "server port");
  app.add_option("--pairs", o.pairs, "direct: sender/receiver pairs");
  app.add_option("--window", o.window, "direct/broadcast: commands in flight per sender");
  app.add_option("--rate", o.rate, "direct: messages/s in total (0 = as fast as the window allows)");
  app.add_option("--seconds", o.seconds, "direct: measuring time");
  app.add_option("--warmup", o.warmup, "direct: seconds before measuring");
  app.add_option("--receivers", o.receivers, "broadcast: receiving guests");
  app.add_option("--procs", o.procs, "broadcast: receiver processes")->check(CLI::Range(1, 64));
  app.add_option("--count", o.count, "broadcast: broadcasts; offline: messages in total");
  app.add_option("--senders", o.senders, "offline: sending guests");
  app.add_option("--recipients", o.recipients, "offline: offline accounts messages go to");
  app.add_option("--prefix", o.prefix, "offline: account name prefix");
  app.add_option("--size", o.size, "bytes of text per message");
  app.add_option("--write-credentials", o.write_credentials, "write --recipients accounts to FILE and exit");
  app.add_option("--server-pid", o.server_pid, "the server's PID (edgehubd or the broker): report its CPU time per message");
  CLI11_PARSE(app, argc, argv);
  if (!o.write_credentials.empty()) return write_credentials(o);
  if (o.protocol == "mqtt" && o.mode == "offline") {
    std::fprintf(stderr, "msg_load: offline mode is edgehub only\n");
    return 2;
  }
  try {
    const tcp::endpoint server(asio::ip::make_address(o.host), o.port);
    if (o.mode == "broadcast") return broadcast(o, server);  // forks: before any io_context exists
    if (o.mode == "offline") return offline(o, server);
    return direct(o, server);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "msg_load: %s\n", e.what());
    return 1;
  }
}
