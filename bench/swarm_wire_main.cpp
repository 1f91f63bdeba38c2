// swarm_wire: loopback benchmark of the swarm peer wire
// (docs/UDP.md#13-swarm-requests). Forks N seeder processes that serve a
// file through UdpEndpoint + RangeSource, and downloads it in this process
// the way p2pDownload does: ranged requests, several outstanding per seeder,
// each answered by a chunk-verified EHT transfer into a PartFile. Prints the
// downloader's CPU (getrusage user + sys of this process only) per GiB.
//   swarm_wire --file F [--mb 1024] [--dir D] [--seeders 4] [--range-chunks 8]
//              [--outstanding 2] [--udp-chunk 1432] [--no-disk]
// --no-disk checks every chunk's SHA-256 like a PartFile but writes nothing,
// which separates the wire and the hashing from the page cache's cost.
// --seeder-port P binds seeder i to port P + i and --via-port V sends to
// V + i instead, e.g. udp_relay --listen V+i --to 127.0.0.1:P+i --rate-mbit 100
// in between to give each seeder a limited uplink.
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>

#include "p2p/swarm/part_file.hpp"
#include "p2p/swarm/range_source.hpp"
#include "p2p/udp_endpoint.hpp"

namespace p2p = edgehub::p2p;
namespace swarm = edgehub::p2p::swarm;
using boost::asio::ip::udp;

namespace {

constexpr const char* kTicket = "bench-ticket";

struct Options {
  std::string file, dir = ".";
  unsigned mb = 1024, seeders = 4, range_chunks = 8, outstanding = 2, udp_chunk = 1432;
  bool no_disk = false;
  std::uint16_t seeder_port = 0, via_port = 0;
  unsigned coalesce_us = 0;
};

// PartFile's chunk check without the file: SHA-256 of each chunk against the manifest.
class VerifyOnlySink : public p2p::ChunkSink {
 public:
  VerifyOnlySink(const swarm::Manifest& m, std::uint32_t first) : m_(m), chunk_(first) {}
  void write(std::span<const std::uint8_t> data) override {
    while (!data.empty()) {
      auto n = std::min<std::size_t>(m_.chunk_length(chunk_) - in_chunk_, data.size());
      hash_.update(data.data(), n);
      in_chunk_ += n;
      data = data.subspan(n);
      if (in_chunk_ < m_.chunk_length(chunk_)) continue;
      if (hash_.finish() != m_.chunks[chunk_]) throw std::runtime_error("bad chunk " + std::to_string(chunk_));
      ++chunk_;
      in_chunk_ = 0;
    }
  }
  void commit() override {}
  void discard() noexcept override {}

 private:
  const swarm::Manifest& m_;
  std::uint32_t chunk_;
  std::size_t in_chunk_ = 0;
  edgehub::Sha256 hash_;
};

double cpu_seconds(int who) {
  rusage ru{};
  getrusage(who, &ru);
  auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

// Random content of the requested size, written once and reused by later runs.
void make_file(const std::string& path, std::uint64_t bytes) {
  std::error_code ec;
  if (std::filesystem::file_size(path, ec) == bytes && !ec) return;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 rng(12);
  std::vector<std::uint64_t> block(1 << 17);  // 1 MiB
  for (std::uint64_t done = 0; done < bytes; done += 8 * block.size()) {
    for (auto& w : block) w = rng();
    auto n = std::min<std::uint64_t>(8 * block.size(), bytes - done);
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
  }
}

// Fixed keys for both sides: the transfers are sealed as the client's are
// (docs/UDP.md#14-end-to-end-encryption), without a hub to relay keys.
p2p::crypto::SessionKeys bench_keys(bool downloader) {
  std::array<std::uint8_t, 32> a{}, b{};
  a.fill(0x5a);
  b.fill(0xa5);
  return downloader ? p2p::crypto::SessionKeys{a, b} : p2p::crypto::SessionKeys{b, a};
}

p2p::TransportConfig config_of(const Options& o) {
  p2p::TransportConfig c;
  c.chunk_size = static_cast<std::uint16_t>(o.udp_chunk);
  c.ipv4_chunk_size = 0;  // what was asked for, on either family
  return c;
}

// A seeder process: serves every request with the bench ticket until killed.
[[noreturn]] void run_seeder(int fd, const Options& o, const swarm::Manifest& manifest, swarm::FileStamp stamp) {
  boost::asio::io_context io;
  udp::socket socket(io);
  socket.assign(udp::v4(), fd);
  p2p::EndpointOptions eo;
  eo.config = config_of(o);
  eo.keys = [](std::string_view) { return std::optional(bench_keys(false)); };
  eo.request_handler = [&](const p2p::ChunkRequest& r) {
    if (r.ticket != kTicket) return p2p::RequestDecision::ignore();
    try {
      auto source = swarm::RangeSource::for_chunks(o.file, stamp, manifest, r.first_chunk, r.count);
      if (!source) return p2p::RequestDecision::refuse("chunks out of range");
      return p2p::RequestDecision::serve(std::move(source));
    } catch (const std::exception& e) {
      return p2p::RequestDecision::refuse(e.what());
    }
  };
  p2p::UdpEndpoint endpoint(std::move(socket), std::move(eo));
  endpoint.start();
  io.run();
  std::_Exit(0);
}

int bound_socket_fd(std::uint16_t& port) {  // port 0: any free one
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("cannot bind");
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// The downloader: keeps `outstanding` ranged requests running at every
// seeder until every chunk is asked for, then finishes the part file.
class Downloader {
 public:
  Downloader(const Options& o, swarm::Manifest manifest, std::vector<udp::endpoint> seeders)
      : o_(o), manifest_(std::move(manifest)), seeders_(std::move(seeders)) {
    p2p::EndpointOptions eo;
    eo.config = config_of(o);
    eo.read_coalesce = std::chrono::microseconds(o.coalesce_us);
    endpoint_.emplace(udp::socket(io_, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0)), std::move(eo));
  }

  // Returns false if a request failed.
  bool run() {
    auto name = std::filesystem::path(o_.file).filename().string() + ".copy";
    std::filesystem::remove(std::filesystem::path(o_.dir) / name);
    std::filesystem::remove(std::filesystem::path(o_.dir) / ("." + name + ".swarm-have"));
    part_ = swarm::PartFile::open(o_.dir, name, manifest_);
    endpoint_->start();
    for (std::size_t s = 0; s < seeders_.size(); ++s)
      for (unsigned k = 0; k < o_.outstanding; ++k) issue(s);
    while (running_ > 0 && ok_) io_.run_one();
    if (!ok_) return false;
    if (!o_.no_disk) std::printf("saved %s\n", part_->finish().c_str());
    return true;
  }

 private:
  void issue(std::size_t seeder) {
    if (next_ >= manifest_.chunk_count()) return;
    const auto first = next_;
    const auto count = std::min<std::uint32_t>(o_.range_chunks, manifest_.chunk_count() - first);
    next_ += count;
    ++running_;
    p2p::ChunkRequest req{kTicket, manifest_.root, first, count, {}, 0, {}};
    p2p::RequestOptions ro;
    ro.keys = bench_keys(true);
    ro.make_sink = [this, first, count](const p2p::IncomingInfo&) -> std::unique_ptr<p2p::ChunkSink> {
      if (o_.no_disk) return std::make_unique<VerifyOnlySink>(manifest_, first);
      return part_->chunk_sink(first, count, {}, [](std::uint32_t c) { std::printf("bad chunk %u\n", c); });
    };
    endpoint_->send_request(
        seeders_[seeder], std::move(req),
        [this, seeder](const p2p::RequestResult& r) {
          --running_;
          if (!r.ok) {
            std::printf("request failed: %s\n", r.error.c_str());
            ok_ = false;
          }
          issue(seeder);
        },
        std::move(ro));
  }

  const Options& o_;
  swarm::Manifest manifest_;
  std::vector<udp::endpoint> seeders_;
  boost::asio::io_context io_;
  std::optional<p2p::UdpEndpoint> endpoint_;
  std::shared_ptr<swarm::PartFile> part_;
  std::uint32_t next_ = 0;
  unsigned running_ = 0;
  bool ok_ = true;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Loopback benchmark of the swarm peer wire (downloader CPU per GiB)"};
  app.add_option("--file", o.file, "the shared file (created with random bytes if absent)")->required();
  app.add_option("--mb", o.mb, "size of a created file in MiB");
  app.add_option("--dir", o.dir, "download directory");
  app.add_option("--seeders", o.seeders, "seeder processes");
  app.add_option("--range-chunks", o.range_chunks, "chunks per request");
  app.add_option("--outstanding", o.outstanding, "requests in flight per seeder");
  app.add_option("--udp-chunk", o.udp_chunk, "EHT DATA payload bytes");
  app.add_flag("--no-disk", o.no_disk, "verify chunks but write nothing");
  app.add_option("--coalesce-us", o.coalesce_us, "downloader's EndpointOptions::read_coalesce");
  app.add_option("--seeder-port", o.seeder_port, "bind seeder i to this port + i (0: any)");
  app.add_option("--via-port", o.via_port, "send to 127.0.0.1:(this port + i) instead of seeder i (a relay)");
  CLI11_PARSE(app, argc, argv);

  make_file(o.file, std::uint64_t{o.mb} << 20);
  auto manifest = swarm::build_manifest(o.file);
  auto stamp = swarm::stamp_of(o.file);
  std::vector<udp::endpoint> peers;
  std::vector<pid_t> children;
  for (unsigned i = 0; i < o.seeders; ++i) {
    auto port = static_cast<std::uint16_t>(o.seeder_port == 0 ? 0 : o.seeder_port + i);
    int fd = bound_socket_fd(port);
    pid_t pid = ::fork();
    if (pid == 0) run_seeder(fd, o, manifest, stamp);
    ::close(fd);
    children.push_back(pid);
    peers.emplace_back(boost::asio::ip::address_v4::loopback(),
                       o.via_port == 0 ? port : static_cast<std::uint16_t>(o.via_port + i));
  }
  Downloader downloader(o, manifest, peers);
  const double cpu0 = cpu_seconds(RUSAGE_SELF);
  const auto t0 = std::chrono::steady_clock::now();
  const bool ok = downloader.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds(RUSAGE_SELF) - cpu0;
  for (auto pid : children) ::kill(pid, SIGTERM);
  for (auto pid : children) ::waitpid(pid, nullptr, 0);
  const double gib = static_cast<double>(manifest.size) / (1u << 30);
  std::printf("%s: %.0f MiB from %u seeders in %.2f s (%.0f MB/s); chunk %u KiB, %u chunks per request\n",
              ok ? "ok" : "FAILED", static_cast<double>(manifest.size) / (1 << 20), o.seeders, wall,
              static_cast<double>(manifest.size) / wall / 1e6, manifest.chunk_size >> 10, o.range_chunks);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "downloader cpu: %.2f s user+sys = %.3f s per GiB (%ld waits, %ld preemptions); seeders together: %.2f s\n", cpu,
      cpu / gib, ru.ru_nvcsw, ru.ru_nivcsw, cpu_seconds(RUSAGE_CHILDREN));
  return ok ? 0 : 1;
}
