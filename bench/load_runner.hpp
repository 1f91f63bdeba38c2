#pragma once
// The run shared by `load` (edgehub) and `mqtt_idle` (MQTT): options, the
// worker loop, and the parent's sequence of phases. Each phase opens every
// connection with one handshake kind ("login", "resume", "guest", "mqtt");
// between phases all connections are closed and reopened. After each phase
// the server's memory is sampled (when --server-pid is given), then the
// connections are held idle for --hold-seconds and closed.
//
// Machine-readable results are "RESULT key=value ..." lines on stdout.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "load_fleet.hpp"
#include "load_memory.hpp"
#include "load_processes.hpp"

namespace edgehub::bench {

struct RunConfig {
  std::string host = "127.0.0.1";
  int port = 0;
  std::size_t connections = 1000;
  std::size_t processes = 1;
  std::string source_base = "127.0.0.2";
  std::size_t concurrency = 64;
  int phase_timeout = 120;
  std::vector<std::string> phases;
  int server_pid = 0;
  double quiesce_seconds = 2;
  double hold_seconds = 0;
  double reconnect_pause = 0.5;
};

inline void add_run_options(CLI::App& app, RunConfig& c) {
  app.add_option("--host", c.host, "server address")->capture_default_str();
  app.add_option("--port", c.port, "server port")->required()->check(CLI::Range(1, 65535));
  app.add_option("--connections", c.connections, "connections in total")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  app.add_option("--processes", c.processes, "worker processes (each binds its own 127.0.0.x)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{200}));
  app.add_option("--source-base", c.source_base, "source address of worker 0; worker i uses base + i")
      ->capture_default_str();
  app.add_option("--concurrency", c.concurrency, "handshakes in flight per process")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  app.add_option("--phase-timeout", c.phase_timeout, "seconds a phase may take before its stragglers count as failed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--server-pid", c.server_pid, "sample this process's memory before and after each phase");
  app.add_option("--quiesce-seconds", c.quiesce_seconds, "wait after a phase before sampling memory")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--hold-seconds", c.hold_seconds, "keep the connections idle this long at the end")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--reconnect-pause", c.reconnect_pause, "seconds between closing all and the next phase")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 60.0));
}

namespace detail {

inline bool sleep_interruptibly(double seconds) {
  const auto end = SteadyClock::now() + std::chrono::duration<double>(seconds);
  while (!g_interrupted && SteadyClock::now() < end) {
    timespec ts{0, 50'000'000};
    ::nanosleep(&ts, nullptr);
  }
  return !g_interrupted;
}

inline void report(int fd, const std::string& line) {
  const std::string out = line + "\n";
  if (::write(fd, out.data(), out.size()) < 0) ::_exit(3);
}

// The worker: obeys "open PHASE", "close", "status", "stop" from the parent.
inline asio::awaitable<void> obey(asio::io_context& io, Fleet& fleet, LoadProtocol& protocol, int control_fd,
                                  int report_fd) {
  asio::posix::stream_descriptor control(io, control_fd);
  std::string buffer;
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n = co_await asio::async_read_until(control, asio::dynamic_buffer(buffer), '\n',
                                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const std::string command = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    if (command.starts_with("open ")) {
      const PhaseResult r = co_await fleet.open_all(command.substr(5));
      report(report_fd, fmt::format("{} {} {} {} {:.3f} {:.3f}", r.ok, r.failed, r.start_ns, r.end_ns, r.latency_sum_ms,
                                    r.latency_max_ms));
    } else if (command == "close") {
      fleet.close_all();
      report(report_fd, "closed");
    } else {
      report(report_fd, fmt::format("{} {} {}", fleet.open_count(), fleet.lost(), protocol.stats()));
      if (command == "stop") break;
    }
  }
  fleet.close_all();
  io.stop();
}

inline int run_worker(const RunConfig& c, std::size_t index, int control_fd, int report_fd,
                      std::unique_ptr<LoadProtocol> protocol) {
  asio::io_context io(1);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const boost::system::error_code& ec, int) {
    if (!ec) io.stop();
  });
  FleetConfig fc;
  fc.server = tcp::endpoint(asio::ip::make_address(c.host), static_cast<unsigned short>(c.port));
  fc.source =
      asio::ip::make_address_v4(asio::ip::make_address_v4(c.source_base).to_uint() + static_cast<unsigned>(index));
  const std::size_t base = c.connections / c.processes, extra = c.connections % c.processes;
  fc.count = base + (index < extra ? 1 : 0);
  fc.first_index = 1 + index * base + std::min(index, extra);
  fc.concurrency = c.concurrency;
  fc.phase_timeout = std::chrono::seconds(c.phase_timeout);
  Fleet fleet(io, *protocol, fc);
  asio::co_spawn(io, obey(io, fleet, *protocol, control_fd, report_fd), asio::detached);
  io.run();
  return 0;
}

struct PhaseTotals {
  std::size_t ok = 0, failed = 0;
  std::int64_t start_ns = 0, end_ns = 0;
  double latency_sum_ms = 0, latency_max_ms = 0;
  bool complete = true;  // every worker reported
};

inline PhaseTotals add_up(const std::vector<std::string>& lines) {
  PhaseTotals t;
  for (const auto& line : lines) {
    std::istringstream in(line);
    PhaseResult r;
    if (!(in >> r.ok >> r.failed >> r.start_ns >> r.end_ns >> r.latency_sum_ms >> r.latency_max_ms)) {
      t.complete = false;
      continue;
    }
    t.ok += r.ok;
    t.failed += r.failed;
    t.start_ns = t.start_ns == 0 ? r.start_ns : std::min(t.start_ns, r.start_ns);
    t.end_ns = std::max(t.end_ns, r.end_ns);
    t.latency_sum_ms += r.latency_sum_ms;
    t.latency_max_ms = std::max(t.latency_max_ms, r.latency_max_ms);
  }
  return t;
}

inline void print_phase(const std::string& phase, int round, const PhaseTotals& t) {
  const double seconds = static_cast<double>(t.end_ns - t.start_ns) / 1e9;
  const double tries = static_cast<double>(t.ok + t.failed);
  std::printf(
      "RESULT kind=phase phase=%s round=%d ok=%zu failed=%zu seconds=%.3f rate=%.1f mean_ms=%.2f max_ms=%.2f "
      "complete=%d\n",
      phase.c_str(), round, t.ok, t.failed, seconds, seconds > 0 ? static_cast<double>(t.ok) / seconds : 0.0,
      tries > 0 ? t.latency_sum_ms / tries : 0.0, t.latency_max_ms, t.complete ? 1 : 0);
}

inline void print_memory(const std::string& phase, int round, const MemorySample& before, const MemorySample& after,
                         std::size_t n) {
  if (!before.valid || !after.valid) {
    std::printf("RESULT kind=memory phase=%s round=%d valid=0\n", phase.c_str(), round);
    return;
  }
  std::printf(
      "RESULT kind=memory phase=%s round=%d connections=%zu rss_before_kib=%lld rss_after_kib=%lld "
      "pss_before_kib=%lld pss_after_kib=%lld private_before_kib=%lld private_after_kib=%lld "
      "rss_per_conn=%.0f pss_per_conn=%.0f private_per_conn=%.0f\n",
      phase.c_str(), round, n, static_cast<long long>(before.rss_kib), static_cast<long long>(after.rss_kib),
      static_cast<long long>(before.pss_kib), static_cast<long long>(after.pss_kib),
      static_cast<long long>(before.private_kib), static_cast<long long>(after.private_kib),
      bytes_per(before.rss_kib, after.rss_kib, n), bytes_per(before.pss_kib, after.pss_kib, n),
      bytes_per(before.private_kib, after.private_kib, n));
}

// Sums the first field (open connections) of the workers' status lines.
inline std::size_t open_total(const std::vector<std::string>& status, std::size_t* lost = nullptr) {
  std::size_t open = 0, gone = 0;
  for (const auto& line : status) {
    std::istringstream in(line);
    std::size_t o = 0, l = 0;
    if (in >> o >> l) open += o, gone += l;
  }
  if (lost != nullptr) *lost = gone;
  return open;
}

}  // namespace detail

// Runs the whole load; returns the exit status (0: every handshake succeeded
// and no connection was lost while held).
inline int run_load(const RunConfig& c, const std::function<std::unique_ptr<LoadProtocol>()>& make_protocol) {
  const rlim_t files = raise_file_limit();
  const std::size_t per_process = (c.connections + c.processes - 1) / c.processes;
  if (files > 0 && per_process + 64 > files) {
    std::fprintf(stderr, "%zu connections per process exceed the open-file limit %llu: use more --processes\n",
                 per_process, static_cast<unsigned long long>(files));
    return 2;
  }
  const MemorySample baseline = c.server_pid > 0 ? sample_memory(c.server_pid) : MemorySample{};
  Workers workers(c.processes, [&](std::size_t i, int control, int reports) {
    return detail::run_worker(c, i, control, reports, make_protocol());
  });
  bool all_ok = true;
  int round = 0;
  for (const auto& phase : c.phases) {
    if (g_interrupted) break;
    if (round > 0) {
      workers.broadcast("close");
      workers.collect();
      detail::sleep_interruptibly(c.reconnect_pause);  // let the server see the closes
    }
    workers.broadcast("open " + phase);
    const detail::PhaseTotals totals = detail::add_up(workers.collect());
    detail::print_phase(phase, round, totals);
    all_ok = all_ok && totals.complete && totals.failed == 0;
    if (c.server_pid > 0 && detail::sleep_interruptibly(c.quiesce_seconds)) {
      const MemorySample after = sample_memory(c.server_pid);
      workers.broadcast("status");
      detail::print_memory(phase, round, baseline, after, detail::open_total(workers.collect()));
    }
    std::fflush(stdout);
    ++round;
  }
  std::printf("RESULT kind=holding seconds=%.1f\n", c.hold_seconds);
  std::fflush(stdout);
  detail::sleep_interruptibly(c.hold_seconds);
  workers.broadcast("stop");
  const auto status = workers.collect();
  std::size_t lost = 0;
  const std::size_t open = detail::open_total(status, &lost);
  std::printf("RESULT kind=end open=%zu lost=%zu interrupted=%d workers=[%s]\n", open, lost, g_interrupted ? 1 : 0,
              fmt::format("{}", fmt::join(status, "; ")).c_str());
  const bool workers_ok = workers.wait_all();
  return all_ok && workers_ok && lost == 0 && !g_interrupted ? 0 : 1;
}

}  // namespace edgehub::bench
