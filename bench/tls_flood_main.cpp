// tls_flood: a TLS handshake flood (issue 15, docs/BENCHMARKS.md#tls-handshake-flood).
// Opens connections to edgehubd at a fixed total rate, completes a TLS 1.3
// handshake on each (or sees it refused) and closes it at once, for a
// bounded time. Blocking OpenSSL on a few threads, each paced on its own
// schedule; every connection is bound to --source (a 127.0.0.x address).
//
//   tls_flood --port P --rate 500 --seconds 10 --threads 8 --source 127.0.0.10
//
// SIGTERM ends it early. Prints one line: RESULT flood attempted=N ok=N refused=N behind_ms=N
// (refused: the server closed or failed the handshake; behind_ms: how far
// the slowest thread fell behind its schedule, i.e. the rate not reached).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// SIGTERM/SIGINT end the flood early; the result is still printed.
volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  double rate = 500;  // handshakes per second, this process
  double seconds = 10;
  int threads = 8;
  std::string source = "127.0.0.1";
};

struct Counters {
  std::atomic<long> attempted{0}, ok{0}, refused{0}, behind_ms{0};
};

int connect_from(const Options& o) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval timeout{2, 0};  // a stuck server must not stop the flood
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, o.source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<std::uint16_t>(o.port));
  ::inet_pton(AF_INET, o.host.c_str(), &remote.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One handshake; true if it completed.
bool handshake(SSL_CTX* ctx, const Options& o) {
  const int fd = connect_from(o);
  if (fd < 0) return false;
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  const bool ok = SSL_connect(ssl) == 1;
  SSL_free(ssl);  // no close_notify: a flood does not say goodbye
  ::close(fd);
  return ok;
}

void run_thread(SSL_CTX* ctx, const Options& o, Clock::time_point start, Clock::time_point end, Counters& c) {
  const auto interval = std::chrono::duration<double>(o.threads / o.rate);
  long behind = 0;
  for (long k = 0;; ++k) {
    const auto due = start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(k));
    if (due >= end || stop_requested != 0) break;
    const auto now = Clock::now();
    if (now < due)
      std::this_thread::sleep_until(due);
    else
      behind = std::chrono::duration_cast<std::chrono::milliseconds>(now - due).count();
    ++c.attempted;
    ++(handshake(ctx, o) ? c.ok : c.refused);
  }
  long seen = c.behind_ms.load();
  while (behind > seen && !c.behind_ms.compare_exchange_weak(seen, behind)) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"TLS handshake flood against edgehubd (docs/BENCHMARKS.md#tls-handshake-flood)", "tls_flood"};
  Options o;
  app.add_option("--host", o.host);
  app.add_option("--port", o.port)->required();
  app.add_option("--rate", o.rate, "handshakes per second started by this process");
  app.add_option("--seconds", o.seconds);
  app.add_option("--threads", o.threads);
  app.add_option("--source", o.source, "local address to connect from");
  CLI11_PARSE(app, argc, argv);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // the flood does not care who answers
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  std::signal(SIGPIPE, SIG_IGN);
  Counters c;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.threads; ++i) threads.emplace_back([&] { run_thread(ctx, o, start, end, c); });
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("RESULT flood source=%s attempted=%ld ok=%ld refused=%ld seconds=%.1f ok_per_s=%.0f behind_ms=%ld\n",
              o.source.c_str(), c.attempted.load(), c.ok.load(), c.refused.load(), elapsed,
              static_cast<double>(c.ok.load()) / elapsed, c.behind_ms.load());
  SSL_CTX_free(ctx);
  return 0;
}
