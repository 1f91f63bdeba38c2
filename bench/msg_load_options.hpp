#pragma once
// msg_load's options and what every mode shares: connecting many clients,
// message padding, and reading a process's CPU time from /proc.
#include <unistd.h>

#include <fmt/format.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "msg_client.hpp"

namespace edgehub::bench::msg {

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
  // Cluster runs (bench/cluster_bench.sh): clients log in as accounts
  // PREFIX000000.. (--write-credentials' scheme) instead of being guests,
  // since guests are per node; and direct receivers may connect to another
  // node than the senders.
  bool login = false;
  std::uint16_t receiver_port = 0;  // 0: --port
};

// CPU seconds (user + system) the process has used so far; 0 if unknown.
// Contention from other processes inflates wall-clock rates, much less this.
inline double cpu_seconds(int pid) {
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
inline std::string cpu_per_message(double cpu, std::size_t messages) {
  if (cpu <= 0 || messages == 0) return "n/a";
  return fmt::format("{:.2f}", cpu * 1e6 / static_cast<double>(messages));
}

inline Protocol protocol(const Options& o) { return o.protocol == "mqtt" ? Protocol::mqtt : Protocol::edgehub; }

// What the clients of connect_many do; MQTT receivers subscribe on connecting.
enum class Role { sender, receiver, pair };  // pair: even = sender, odd = receiver of "dm/<i/2>"

inline asio::awaitable<std::vector<std::unique_ptr<Client>>> connect_many(asio::io_context& io,
                                                                          const tcp::endpoint& server, const Options& o,
                                                                          std::size_t n, Role role) {
  std::vector<std::unique_ptr<Client>> out;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = std::make_unique<Client>(io, protocol(o));
    const std::string id = fmt::format("msg-{}-{}", ::getpid(), i);
    std::string topic;
    if (role == Role::receiver) topic = kBroadcastTopic;
    if (role == Role::pair && i % 2 == 1) topic = fmt::format("dm/{}", i / 2);
    const bool receives = role == Role::pair && i % 2 == 1;
    const tcp::endpoint node =
        receives && o.receiver_port != 0 ? tcp::endpoint(server.address(), o.receiver_port) : server;
    const std::string account = o.login ? fmt::format("{}{:06}", o.prefix, i) : std::string();
    if (!co_await connect_client(*c, node, id, topic, role == Role::pair ? 1u : 0u, account))
      throw std::runtime_error(fmt::format("connection {} refused", i));
    out.push_back(std::move(c));
  }
  co_return out;
}

inline std::string padding(std::size_t size) { return std::string(size > 24 ? size - 24 : 0, 'x'); }

}  // namespace edgehub::bench::msg
