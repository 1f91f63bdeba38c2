// What one small write over loopback TCP costs this machine's kernel: the
// floor under edgehubd's CPU per routed message (docs/BENCHMARKS.md#routing-cost),
// which writes a reply to the sender and the message to its receiver.
//
//   tcp_send_floor [--count N] [--size BYTES] [--pairs P]
//
// P connected pairs over 127.0.0.1 with TCP_NODELAY, as edgehubd's sockets
// are. One writer thread sends N frames of BYTES round-robin over the pairs,
// one send() each; one reader thread drains them with epoll and recv() into
// 64 KiB. Each thread's CPU time (CLOCK_THREAD_CPUTIME_ID) is divided by N:
// on loopback the writer's send() also runs the receiving side's TCP work.
// Prints one RESULT line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// A connected pair (writer end, reader end) over 127.0.0.1.
std::pair<int, int> loopback_pair(int listener, const sockaddr_in& addr) {
  const int writer = ::socket(AF_INET, SOCK_STREAM, 0);
  check(writer >= 0, "socket");
  check(::connect(writer, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0, "connect");
  const int reader = ::accept(listener, nullptr, nullptr);
  check(reader >= 0, "accept");
  const int one = 1;
  ::setsockopt(writer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(reader, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return {writer, reader};
}

std::vector<std::pair<int, int>> make_pairs(int count) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  check(listener >= 0, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "bind");
  check(::listen(listener, 1024) == 0, "listen");
  socklen_t len = sizeof addr;
  check(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0, "getsockname");
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < count; ++i) pairs.push_back(loopback_pair(listener, addr));
  ::close(listener);
  return pairs;
}

struct Totals {
  double cpu = 0;
  std::size_t calls = 0;
};

Totals drain(const std::vector<std::pair<int, int>>& pairs, std::size_t expected_bytes) {
  const int ep = ::epoll_create1(0);
  check(ep >= 0, "epoll_create1");
  for (const auto& p : pairs) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = p.second;
    check(::epoll_ctl(ep, EPOLL_CTL_ADD, p.second, &ev) == 0, "epoll_ctl");
  }
  static std::array<char, 65536> buffer;
  std::array<epoll_event, 64> events{};
  Totals t;
  std::size_t got = 0;
  const double start = thread_cpu_seconds();
  while (got < expected_bytes) {
    const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 1000);
    for (int i = 0; i < n; ++i) {
      const ssize_t r = ::recv(events[static_cast<std::size_t>(i)].data.fd, buffer.data(), buffer.size(), 0);
      ++t.calls;
      if (r > 0) got += static_cast<std::size_t>(r);
    }
  }
  t.cpu = thread_cpu_seconds() - start;
  ::close(ep);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"CPU per small loopback TCP write and read"};
  std::size_t count = 500000;
  std::size_t size = 100;
  int pair_count = 200;
  app.add_option("--count", count, "frames to send")->check(CLI::PositiveNumber);
  app.add_option("--size", size, "bytes per frame")->check(CLI::Range(1, 65536));
  app.add_option("--pairs", pair_count, "connected pairs")->check(CLI::Range(1, 4000));
  CLI11_PARSE(app, argc, argv);
  try {
    const auto pairs = make_pairs(pair_count);
    Totals read_totals;
    std::thread reader([&] { read_totals = drain(pairs, count * size); });
    const std::vector<char> frame(size, 'x');
    const double start = thread_cpu_seconds();
    for (std::size_t i = 0; i < count; ++i) {
      const int fd = pairs[i % pairs.size()].first;
      check(::send(fd, frame.data(), frame.size(), 0) == static_cast<ssize_t>(frame.size()), "send");
    }
    const double send_cpu = thread_cpu_seconds() - start;
    reader.join();
    std::printf(
        "RESULT frames=%zu size=%zu pairs=%d send_cpu_us_per_frame=%.2f recv_cpu_us_per_frame=%.2f "
        "recv_calls_per_frame=%.3f\n",
        count, size, pair_count, send_cpu * 1e6 / static_cast<double>(count),
        read_totals.cpu * 1e6 / static_cast<double>(count),
        static_cast<double>(read_totals.calls) / static_cast<double>(count));
    for (const auto& p : pairs) {
      ::close(p.first);
      ::close(p.second);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tcp_send_floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
