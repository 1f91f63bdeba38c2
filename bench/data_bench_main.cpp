// data_bench: speed of the edge-data engine on one big file.
//
//   data_bench [--count N] [--file PATH] [--seed S] [--chunk BYTES] [--keep]
//
// Generates N integers (EDG), then measures in the same run: reading the file
// raw, validation + statistics through StreamValidator fed in upload-sized
// chunks (UED), MEDIAN through the mmap path, and the latency of answering
// SUM/AVERAGE/MAX/MIN/COUNT/STDDEV from the stored statistics record.
#include <fcntl.h>
#include <unistd.h>

#include <time.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "data/answer.hpp"
#include "data/generator.hpp"
#include "data/mapped_file.hpp"
#include "data/median.hpp"
#include "data/stats_format.hpp"
#include "data/stats_record.hpp"
#include "data/stream_validator.hpp"

namespace {

using namespace edgehub::data;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// CPU time of this thread: on a shared 2-core machine it tells our own cost
// apart from time spent waiting for the CPU.
double cpu_seconds(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }
// MEDIAN parses on two threads: all of the process's CPU counts.
double process_cpu_seconds() { return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID); }

double mb_per_s(std::uint64_t bytes, double secs) { return static_cast<double>(bytes) / 1e6 / secs; }

// Reads the file in `chunk`-byte blocks, handing each to `on_block`.
template <class OnBlock>
std::uint64_t read_blocks(const std::filesystem::path& path, std::size_t chunk, OnBlock&& on_block) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string());
  std::vector<char> buf(chunk);
  std::uint64_t total = 0;
  for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) {
    total += static_cast<std::uint64_t>(n);
    on_block(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
  ::close(fd);
  return total;
}

Stats bench_validation(const std::filesystem::path& path, std::size_t chunk) {
  StreamValidator v;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  const std::uint64_t bytes = read_blocks(path, chunk, [&v](std::string_view b) { v.feed(b); });
  const bool ok = v.finish();
  const double secs = seconds_since(start);
  const double cpu = thread_cpu_seconds() - cpu_start;
  std::printf(
      "validate+stats (read() + feed, chunk %zu B): %llu values, %llu bytes in %.3f s = %.0f MB/s "
      "(%.1f M values/s; cpu %.3f s = %.0f MB/s), %s\n",
      chunk, static_cast<unsigned long long>(v.stats().count), static_cast<unsigned long long>(bytes), secs,
      mb_per_s(bytes, secs), static_cast<double>(v.stats().count) / 1e6 / secs, cpu, mb_per_s(bytes, cpu),
      ok ? "valid" : v.error()->message().c_str());
  return v.stats();
}

// Parsing alone: the mapped file fed in 64 KiB slices, best of 3.
void bench_parse_in_memory(const std::filesystem::path& path) {
  const MappedFile file(path);
  const std::string_view bytes = file.bytes();
  double best_wall = 1e30;
  double best_cpu = 1e30;
  for (int round = 0; round < 3; ++round) {
    StreamValidator v;
    const auto start = Clock::now();
    const double cpu_start = thread_cpu_seconds();
    for (std::size_t at = 0; at < bytes.size(); at += 65536) v.feed(bytes.substr(at, 65536));
    v.finish();
    best_wall = std::min(best_wall, seconds_since(start));
    best_cpu = std::min(best_cpu, thread_cpu_seconds() - cpu_start);
  }
  std::printf(
      "validate+stats in memory (mmap, 64 KiB slices, best of 3): %.3f s = %.0f MB/s (cpu %.3f s = %.0f MB/s)\n",
      best_wall, mb_per_s(bytes.size(), best_wall), best_cpu, mb_per_s(bytes.size(), best_cpu));
}

void bench_raw_read(const std::filesystem::path& path, std::size_t chunk) {
  std::uint64_t checksum = 0;
  const auto start = Clock::now();
  const std::uint64_t bytes =
      read_blocks(path, chunk, [&checksum](std::string_view b) { checksum += static_cast<unsigned char>(b.back()); });
  const double secs = seconds_since(start);
  std::printf("raw read (no parsing): %.3f s = %.0f MB/s (checksum %llu)\n", secs, mb_per_s(bytes, secs),
              static_cast<unsigned long long>(checksum));
}

void bench_median(const std::filesystem::path& path, std::uint64_t bytes) {
  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  const auto m = median_of_file(path);
  const double secs = seconds_since(start);
  const double cpu = process_cpu_seconds() - cpu_start;
  if (!m) {
    std::printf("MEDIAN failed: %s\n", m.error().c_str());
    return;
  }
  std::printf("MEDIAN (mmap + parse + select, two threads): %s in %.3f s = %.0f MB/s (cpu of both threads %.3f s)\n",
              format_half(m->twice).c_str(), secs, mb_per_s(bytes, secs), cpu);
}

// What SCS does for an O(1) op: read the stats record beside the file,
// parse it, format the answer.
void bench_lookup(const Stats& stats, const std::filesystem::path& record_path) {
  {
    std::FILE* f = std::fopen(record_path.c_str(), "w");
    std::fputs(serialize_stats(stats).c_str(), f);
    std::fclose(f);
  }
  constexpr int rounds = 20000;
  for (Operation op :
       {Operation::sum, Operation::average, Operation::max, Operation::min, Operation::count, Operation::stddev}) {
    std::string answer;
    const auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) {
      char buf[512];
      const int fd = ::open(record_path.c_str(), O_RDONLY | O_CLOEXEC);
      const ssize_t n = ::read(fd, buf, sizeof buf);
      ::close(fd);
      const auto s = parse_stats(std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
      answer = s ? answer_from_stats(FileId(1), op, *s) : "bad record";
    }
    const double us = seconds_since(start) / rounds * 1e6;
    std::printf("SCS %-7s from stored stats: %.2f us/op  -> %s\n", std::string(operation_name(op)).c_str(), us,
                answer.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"edge-data engine benchmark"};
  std::uint64_t count = 100'000'000;
  std::string file = "/tmp/edgehub-data-bench/bench-1.txt";
  std::uint64_t seed = 1;
  std::size_t chunk = 64 * 1024;
  bool keep = false;
  bool reuse = false;
  app.add_option("--count", count, "number of integers")->check(CLI::Range(std::uint64_t{0}, max_generate_count));
  app.add_option("--file", file, "where to write the data (keep it on /tmp, not in the repository)");
  app.add_option("--seed", seed, "generator seed");
  app.add_option("--chunk", chunk, "bytes per block fed to the validator (an upload block)")
      ->check(CLI::Range(1, 1 << 30));
  app.add_flag("--keep", keep, "keep the data file afterwards (e.g. for datamash)");
  app.add_flag("--reuse", reuse, "reuse an existing --file instead of generating");
  CLI11_PARSE(app, argc, argv);

  const std::filesystem::path path(file);
  std::filesystem::create_directories(path.parent_path());
  std::uint64_t bytes = 0;
  if (!(reuse && std::filesystem::exists(path))) {
    GeneratorConfig config;
    config.count = count;
    config.seed = seed;
    const auto start = Clock::now();
    const GenerationSummary g = generate_file(path, config);
    const double secs = seconds_since(start);
    std::printf("generate: %llu values, %llu bytes in %.3f s = %.0f MB/s (%.1f M values/s), seed %llu\n",
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(g.bytes), secs,
                mb_per_s(g.bytes, secs), static_cast<double>(count) / 1e6 / secs,
                static_cast<unsigned long long>(seed));
  }
  bytes = std::filesystem::file_size(path);
  bench_raw_read(path, chunk);
  const Stats stats = bench_validation(path, chunk);
  bench_validation(path, 1 << 20);
  bench_parse_in_memory(path);
  if (!stats.empty()) {
    std::printf("sum %s  mean %s  min %lld  max %lld  stddev %s\n", to_decimal(stats.sum).c_str(),
                format_average(stats.sum, stats.count).c_str(), static_cast<long long>(stats.min),
                static_cast<long long>(stats.max), format_stddev(stats).c_str());
  }
  bench_median(path, bytes);
  bench_lookup(stats, path.string() + ".stats");
  std::filesystem::remove(path.string() + ".stats");
  if (!keep) std::filesystem::remove(path);
  return 0;
}
